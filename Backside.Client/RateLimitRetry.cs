using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Backside.Client;

/// <summary>
/// The 429 retry: a Polly retry (Microsoft.Extensions.Http.Resilience) that waits the response's <c>Retry-After</c>
/// and sends the request again. Only 429 is retried: the server refused it before any work, so repeating even a POST is
/// safe, which is not true of a 5xx. A 429 without <c>Retry-After</c>, or with one longer than
/// <see cref="BacksideClientOptions.MaxRetryAfter"/>, and the last 429 after the retries reach the caller unchanged.
/// </summary>
internal static class RateLimitRetry
{
    public static DelegatingHandler CreateHandler(BacksideClientOptions options)
    {
        options.Validate();
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = options.TimeProvider };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                // ShouldRetryAfterHeader (on by default) makes Retry-After the delay.
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { } response && IsRetryable(response, options.MaxRetryAfter)),
            });
        }
        return new ResilienceHandler(builder.Build());
    }

    /// <summary>A 429 whose <c>Retry-After</c> (seconds, as Backside sends it) is at most <paramref name="maxRetryAfter"/>.</summary>
    internal static bool IsRetryable(HttpResponseMessage response, TimeSpan maxRetryAfter) =>
        response.StatusCode == HttpStatusCode.TooManyRequests
        && response.Headers.RetryAfter?.Delta is { } delay
        && delay <= maxRetryAfter;
}

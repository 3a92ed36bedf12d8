using System.Net;

namespace Backside.Tests.Client;

/// <summary>
/// The client's transport in the tests: passes each request to <paramref name="inner"/> (the test server, or a stub
/// answer) and records what went out and what came back, so a test sees every attempt the retry made.
/// </summary>
public sealed class RecordingTransport(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> inner) : HttpMessageHandler
{
    private readonly TaskCompletionSource firstTooManyRequests = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RecordingTransport(HttpMessageHandler server)
        : this(new HttpMessageInvoker(server).SendAsync)
    {
    }

    public List<string?> Authorizations { get; } = [];

    public List<string?> Uris { get; } = [];

    public List<HttpStatusCode> Statuses { get; } = [];

    /// <summary>Completes when the first 429 has come back.</summary>
    public Task FirstTooManyRequests => firstTooManyRequests.Task;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Statuses)
        {
            Authorizations.Add(request.Headers.Authorization?.ToString());
            Uris.Add(request.RequestUri?.AbsoluteUri);
        }
        var response = await inner(request, cancellationToken);
        lock (Statuses)
            Statuses.Add(response.StatusCode);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
            firstTooManyRequests.TrySetResult();
        return response;
    }
}

using System.Globalization;
using Backside.Core.ApiKeys;
using Backside.Web.Api;
using Backside.Web.Authentication;
using Backside.Web.Authorization;

namespace Backside.Web.RateLimiting;

/// <summary>
/// Spends one unit of the key's per-minute budget on every keyed API request its allowlists admit, advertises the
/// budget in the IETF <c>RateLimit-Policy</c> and <c>RateLimit</c> headers, and answers 429 once it is spent. A
/// request from outside the allowlists spends nothing (authorization answers it 403), so a leaked restricted key used
/// from elsewhere cannot hold its owner at 429. The budget is the key's <see cref="ApiKeyCredential.RateLimit"/>
/// (its own limit or its plan's default, within its plan's maximum), and the 429 names which of those it was.
/// </summary>
public sealed class ApiKeyRateLimitMiddleware(RequestDelegate next, IApiKeyRateLimiter limiter, RefusalCounter refusals)
{
    private const string PolicyName = "per-key";

    /// <summary>The policy header depends on the limit alone, and keys share a handful of limits: made once each.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, string> PolicyHeaders = new();

    public async Task InvokeAsync(HttpContext context)
    {
        // The authentication middleware has run the key rail; a key it accepted is on the request.
        if (context.Features.Get<ApiKeyFeature>() is not { IsAccepted: true, Key: { } key } || !ApiCallerRequirement.AllowlistsAdmit(key, context))
        {
            await next(context);
            return;
        }

        var limit = key.RateLimit;
        var decision = await limiter.AcquireAsync(key.Id, limit.PerMinute, context.RequestAborted);
        var resetSeconds = Math.Max(1, (int)Math.Ceiling(decision.ResetAfter.TotalSeconds));
        context.Response.Headers["RateLimit-Policy"] = PolicyHeaders.GetOrAdd(decision.Limit, static limit => $"\"{PolicyName}\";q={limit};w=60");
        context.Response.Headers["RateLimit"] = $"\"{PolicyName}\";r={decision.Remaining};t={resetSeconds}";
        if (decision.Allowed)
        {
            await next(context);
            return;
        }

        refusals.Count("rate_limited");
        var retrySeconds = Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalSeconds));
        await ApiProblem.WriteAsync(context, ApiProblem.KeyRateLimited(context, limit, retrySeconds));
    }
}

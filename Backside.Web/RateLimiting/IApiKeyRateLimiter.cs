namespace Backside.Web.RateLimiting;

/// <summary>The outcome of one request against its key's per-minute budget.</summary>
public readonly record struct RateLimitDecision(bool Allowed, int Limit, int Remaining, TimeSpan ResetAfter);

/// <summary>
/// Per-key request budgets. The in-memory implementation serves one instance; a shared store (Redis) implements the
/// same interface when several instances must share the counters.
/// </summary>
public interface IApiKeyRateLimiter
{
    ValueTask<RateLimitDecision> AcquireAsync(string keyId, int limitPerMinute, CancellationToken ct);
}

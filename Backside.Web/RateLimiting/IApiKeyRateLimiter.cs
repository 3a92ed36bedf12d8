namespace Backside.Web.RateLimiting;

/// <summary>
/// The outcome of one request against its key's per-minute budget: <see cref="ResetAfter"/> until the whole budget is
/// back, <see cref="RetryAfter"/> until a refused request would be admitted.
/// </summary>
public readonly record struct RateLimitDecision(bool Allowed, int Limit, int Remaining, TimeSpan ResetAfter, TimeSpan RetryAfter);

/// <summary>
/// Per-key request budgets. The in-memory implementation serves one instance; a shared store (Redis) implements the
/// same interface when several instances must share the counters.
/// </summary>
public interface IApiKeyRateLimiter
{
    ValueTask<RateLimitDecision> AcquireAsync(string keyId, int limitPerMinute, CancellationToken ct);
}

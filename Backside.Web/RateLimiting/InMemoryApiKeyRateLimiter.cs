using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace Backside.Web.RateLimiting;

/// <summary>
/// A fixed one-minute window per key, each window a <see cref="FixedWindowRateLimiter"/> holding that minute's
/// permits. Windows start and end by <see cref="TimeProvider"/> (not the limiter's own timer), so the reset time is
/// exact and tests can move the clock. A key whose limit changes starts a fresh window at the new limit.
/// </summary>
public sealed class InMemoryApiKeyRateLimiter(TimeProvider time) : IApiKeyRateLimiter
{
    private static readonly TimeSpan WindowLength = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Window> windows = new(StringComparer.Ordinal);

    public ValueTask<RateLimitDecision> AcquireAsync(string keyId, int limitPerMinute, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // Almost every request finds its key's current window: read it without taking the dictionary's lock.
        if (!windows.TryGetValue(keyId, out var window) || window.Limit != limitPerMinute || now >= window.End)
        {
            window = windows.AddOrUpdate(keyId,
                static (_, state) => new Window(state.limitPerMinute, state.now),
                static (_, current, state) => current.Limit == state.limitPerMinute && state.now < current.End
                    ? current
                    : new Window(state.limitPerMinute, state.now),
                (limitPerMinute, now));
        }

        using var lease = window.Permits.AttemptAcquire();
        var remaining = (int)(window.Permits.GetStatistics()?.CurrentAvailablePermits ?? 0);
        return ValueTask.FromResult(new RateLimitDecision(lease.IsAcquired, window.Limit, remaining, window.End - now));
    }

    /// <summary>One key's minute. Replenishment is off, so the limiter owns no timer and needs no disposal.</summary>
    private sealed class Window(int limit, DateTimeOffset start)
    {
        public int Limit { get; } = limit;
        public DateTimeOffset End { get; } = start + WindowLength;

        public FixedWindowRateLimiter Permits { get; } = new(new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit,
            Window = WindowLength,
            QueueLimit = 0,
            AutoReplenishment = false,
        });
    }
}

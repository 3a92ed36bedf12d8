using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace Backside.Web.RateLimiting;

/// <summary>
/// A fixed one-minute window per key, on <see cref="FixedWindowRateLimiter"/>. Windows are replenished by this
/// class from <see cref="TimeProvider"/> rather than by the limiter's own timer, so the reset time it reports is
/// exact and tests can move the clock. A key whose limit changes starts a fresh window at the new limit.
/// </summary>
public sealed class InMemoryApiKeyRateLimiter(TimeProvider time) : IApiKeyRateLimiter, IDisposable
{
    private static readonly TimeSpan WindowLength = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Window> windows = new(StringComparer.Ordinal);

    public ValueTask<RateLimitDecision> AcquireAsync(string keyId, int limitPerMinute, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var window = windows.AddOrUpdate(keyId,
            static (_, state) => new Window(state.limitPerMinute, state.now),
            static (_, existing, state) => existing.Limit == state.limitPerMinute ? existing : Replace(existing, state.limitPerMinute, state.now),
            (limitPerMinute, now));
        return ValueTask.FromResult(window.Acquire(now));
    }

    public void Dispose()
    {
        foreach (var window in windows.Values)
            window.Dispose();
    }

    private static Window Replace(Window old, int limit, DateTimeOffset now)
    {
        old.Dispose();
        return new Window(limit, now);
    }

    private sealed class Window(int limit, DateTimeOffset start) : IDisposable
    {
        private readonly FixedWindowRateLimiter limiter = new(new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit,
            Window = WindowLength,
            QueueLimit = 0,
            AutoReplenishment = false,
        });
        private DateTimeOffset start = start;

        public int Limit { get; } = limit;

        public RateLimitDecision Acquire(DateTimeOffset now)
        {
            lock (limiter)
            {
                if (now >= start + WindowLength)
                {
                    start = now;
                    limiter.TryReplenish();
                }
                using var lease = limiter.AttemptAcquire();
                var remaining = (int)(limiter.GetStatistics()?.CurrentAvailablePermits ?? 0);
                return new RateLimitDecision(lease.IsAcquired, Limit, remaining, start + WindowLength - now);
            }
        }

        public void Dispose() => limiter.Dispose();
    }
}

using System.Collections.Concurrent;

namespace Backside.Web.RateLimiting;

/// <summary>
/// Each key's per-minute budget as a generic cell rate (GCRA, the "virtual scheduling" form): a key with a limit of
/// L may make L requests at once and then one every 60/L seconds; an idle key earns its budget back at that pace,
/// all of it after a minute. One timestamp per key (the theoretical arrival time), moved with a compare-and-swap:
/// no lock, no timer, no allocation per request.
/// </summary>
/// <remarks>
/// Unlike the fixed window it replaces, there is no boundary to burst across: L requests just before a minute ends
/// and L more just after it are no longer all admitted (the second L are paced). Over any span of D seconds at most
/// L + D·L/60 requests are admitted. Time comes from <see cref="TimeProvider"/>, so tests move it. A key whose
/// limit changes starts with a full budget at the new limit.
/// </remarks>
public sealed class InMemoryApiKeyRateLimiter(TimeProvider time) : IApiKeyRateLimiter
{
    private static readonly long WindowTicks = TimeSpan.FromMinutes(1).Ticks;
    private readonly ConcurrentDictionary<string, Budget> budgets = new(StringComparer.Ordinal);

    public ValueTask<RateLimitDecision> AcquireAsync(string keyId, int limitPerMinute, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcTicks;
        // Almost every request finds its key's budget: read it without taking the dictionary's lock.
        if (!budgets.TryGetValue(keyId, out var budget) || budget.Limit != limitPerMinute)
        {
            budget = budgets.AddOrUpdate(keyId,
                static (_, limit) => new Budget(limit),
                static (_, current, limit) => current.Limit == limit ? current : new Budget(limit),
                limitPerMinute);
        }

        var interval = WindowTicks / budget.Limit;
        while (true)
        {
            var arrival = Volatile.Read(ref budget.TheoreticalArrival);
            var next = Math.Max(arrival, now) + interval;
            // next - now is how far ahead of its pace the key would be: at most a whole window is allowed.
            if (next - now > WindowTicks)
            {
                var full = TimeSpan.FromTicks(Math.Max(arrival - now, 0));
                return ValueTask.FromResult(new RateLimitDecision(false, budget.Limit, 0, full, TimeSpan.FromTicks(next - now - WindowTicks)));
            }
            if (Interlocked.CompareExchange(ref budget.TheoreticalArrival, next, arrival) == arrival)
            {
                var remaining = (int)((WindowTicks - (next - now)) / interval);
                return ValueTask.FromResult(new RateLimitDecision(true, budget.Limit, remaining, TimeSpan.FromTicks(next - now), TimeSpan.Zero));
            }
        }
    }

    /// <summary>One key's budget: its limit and the time its requests so far would end at the limit's pace.</summary>
    private sealed class Budget(int limit)
    {
        public int Limit { get; } = limit;
        public long TheoreticalArrival;
    }
}

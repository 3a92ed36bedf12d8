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
/// limit changes starts with a full budget at the new limit. Once a minute the keys whose arrival time has passed are
/// forgotten: their budget is full, exactly what a forgotten key starts with, so memory holds only recently busy keys.
/// </remarks>
public sealed class InMemoryApiKeyRateLimiter(TimeProvider time) : IApiKeyRateLimiter
{
    private static readonly long WindowTicks = TimeSpan.FromMinutes(1).Ticks;

    /// <summary>The arrival time of a budget the sweep has taken out of the map; whoever finds it looks again.</summary>
    private const long Evicted = long.MinValue;

    private readonly ConcurrentDictionary<string, Budget> budgets = new(StringComparer.Ordinal);
    private long nextSweep;

    /// <summary>How many keys have a budget in memory now.</summary>
    internal int TrackedKeys => budgets.Count;

    public ValueTask<RateLimitDecision> AcquireAsync(string keyId, int limitPerMinute, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcTicks;
        if (now >= Volatile.Read(ref nextSweep))
            Sweep(now);
        while (true)
        {
            var budget = BudgetOf(keyId, limitPerMinute);
            if (TryAcquire(budget, now) is { } decision)
                return ValueTask.FromResult(decision);
            // The sweep took this budget out while we held it: take it out of the map too, then start again.
            budgets.TryRemove(new KeyValuePair<string, Budget>(keyId, budget));
        }
    }

    private Budget BudgetOf(string keyId, int limitPerMinute)
    {
        // Almost every request finds its key's budget: read it without taking the dictionary's lock.
        if (budgets.TryGetValue(keyId, out var budget) && budget.Limit == limitPerMinute)
            return budget;
        return budgets.AddOrUpdate(keyId,
            static (_, limit) => new Budget(limit),
            static (_, current, limit) => current.Limit == limit ? current : new Budget(limit),
            limitPerMinute);
    }

    /// <summary>The decision, or null when the budget was evicted under us.</summary>
    private static RateLimitDecision? TryAcquire(Budget budget, long now)
    {
        var interval = WindowTicks / budget.Limit;
        while (true)
        {
            var arrival = Volatile.Read(ref budget.TheoreticalArrival);
            if (arrival == Evicted)
                return null;
            var next = Math.Max(arrival, now) + interval;
            // next - now is how far ahead of its pace the key would be: at most a whole window is allowed.
            if (next - now > WindowTicks)
            {
                var full = TimeSpan.FromTicks(Math.Max(arrival - now, 0));
                return new RateLimitDecision(false, budget.Limit, 0, full, TimeSpan.FromTicks(next - now - WindowTicks));
            }
            if (Interlocked.CompareExchange(ref budget.TheoreticalArrival, next, arrival) == arrival)
            {
                var remaining = (int)((WindowTicks - (next - now)) / interval);
                return new RateLimitDecision(true, budget.Limit, remaining, TimeSpan.FromTicks(next - now), TimeSpan.Zero);
            }
        }
    }

    /// <summary>Once a minute, one caller forgets the keys whose budget is full again (arrival time in the past).</summary>
    private void Sweep(long now)
    {
        var due = Volatile.Read(ref nextSweep);
        if (now < due || Interlocked.CompareExchange(ref nextSweep, now + WindowTicks, due) != due)
            return;
        foreach (var (keyId, budget) in budgets)
        {
            var arrival = Volatile.Read(ref budget.TheoreticalArrival);
            // The compare-and-swap fails if a request spent from it meanwhile: then it stays.
            if (arrival != Evicted && arrival <= now && Interlocked.CompareExchange(ref budget.TheoreticalArrival, Evicted, arrival) == arrival)
                budgets.TryRemove(new KeyValuePair<string, Budget>(keyId, budget));
        }
    }

    /// <summary>One key's budget: its limit and the time its requests so far would end at the limit's pace.</summary>
    private sealed class Budget(int limit)
    {
        public int Limit { get; } = limit;
        public long TheoreticalArrival;
    }
}

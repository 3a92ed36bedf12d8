using System.Collections.Concurrent;
using System.Net;

namespace Backside.Core.Usage;

/// <summary>
/// Counts keyed requests in memory so that no request writes to the database; <see cref="ApiKeyUsageFlusher"/>
/// writes the totals in batches. Counters are taken with atomic exchanges, so every request is counted exactly once:
/// in the flush that took it, or in the next. A request costs one dictionary lookup and a few atomic increments, and
/// allocates nothing once its key has been seen. Memory is bounded by keys in use × recent hours.
/// </summary>
public sealed class ApiKeyUsageTracker(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, KeyActivity> keys = new(StringComparer.Ordinal);

    /// <summary>A request the key was allowed to make: its time and address become the key's last use.</summary>
    public void Record(string keyId, DateTimeOffset at, IPAddress? ip) => ActivityOf(keyId).RecordUse(at, ip);

    /// <summary>Any finished request made with a known key, whatever its outcome; and the scope it exercised, if it succeeded.</summary>
    public void CountRequest(string keyId, string organizationId, int status, string? scope)
    {
        var now = time.GetUtcNow();
        var activity = ActivityOf(keyId);
        activity.CounterFor(HourOf(now), organizationId).Add(status);
        if (scope is not null && status is >= 200 and < 300)
            activity.RecordScope(scope, now);
    }

    /// <summary>Takes everything recorded so far; requests recorded meanwhile wait for the next flush.</summary>
    public UsageBatch Drain()
    {
        var uses = new List<KeyValuePair<string, KeyUse>>();
        var buckets = new List<(string, string, DateTimeOffset, UsageCounts)>();
        var scopeUses = new List<(string, string, DateTimeOffset)>();
        var currentHour = HourOf(time.GetUtcNow());
        foreach (var (keyId, activity) in keys)
        {
            if (activity.TakeUse() is { } use)
                uses.Add(new(keyId, use));
            foreach (var (hour, (organizationId, counts)) in activity.TakeCounters(currentHour))
                buckets.Add((keyId, organizationId, DateTimeOffset.FromUnixTimeSeconds(hour * 3600), counts));
            foreach (var (scope, at) in activity.TakeScopes())
                scopeUses.Add((keyId, scope, at));
        }
        return new UsageBatch(uses, buckets, scopeUses);
    }

    /// <summary>Puts a batch back after a failed write, so nothing is lost.</summary>
    public void Restore(UsageBatch batch)
    {
        foreach (var (keyId, use) in batch.LastUses)
            ActivityOf(keyId).RestoreUse(use);
        foreach (var (keyId, organizationId, hourStart, counts) in batch.Buckets)
            ActivityOf(keyId).CounterFor(hourStart.ToUnixTimeSeconds() / 3600, organizationId).Add(counts);
        foreach (var (keyId, scope, at) in batch.Scopes)
            ActivityOf(keyId).RecordScope(scope, at);
    }

    private KeyActivity ActivityOf(string keyId) => keys.GetOrAdd(keyId, static _ => new KeyActivity());

    private static long HourOf(DateTimeOffset at) => at.ToUnixTimeSeconds() / 3600;

    /// <summary>One key's pending usage. Times are UTC ticks, 0 meaning "nothing pending".</summary>
    private sealed class KeyActivity
    {
        private readonly ConcurrentDictionary<long, HourCounter> hours = new();
        private readonly ConcurrentDictionary<string, Timestamp> scopes = new(StringComparer.Ordinal);
        private HourCounter? current;
        private long lastUseTicks;
        // Written after the time it belongs to; two requests in the same instant may pair one's time with the
        // other's address, which is as true a "last use" as either.
        private IPAddress? lastUseAddress;
        private string? restoredAddress;

        public void RecordUse(DateTimeOffset at, IPAddress? ip)
        {
            if (Timestamp.RaiseTo(ref lastUseTicks, at.UtcTicks))
            {
                lastUseAddress = ip;
                restoredAddress = null;
            }
        }

        public void RestoreUse(KeyUse use)
        {
            if (Timestamp.RaiseTo(ref lastUseTicks, use.At.UtcTicks))
            {
                lastUseAddress = null;
                restoredAddress = use.Ip;
            }
        }

        public KeyUse? TakeUse()
        {
            var address = lastUseAddress?.ToString() ?? restoredAddress;
            var ticks = Interlocked.Exchange(ref lastUseTicks, 0);
            return ticks == 0 ? null : new KeyUse(new DateTimeOffset(ticks, TimeSpan.Zero), address);
        }

        /// <summary>The counter of <paramref name="hour"/>; almost always the one the previous request used.</summary>
        public HourCounter CounterFor(long hour, string organizationId)
        {
            var counter = Volatile.Read(ref current);
            if (counter is not null && counter.Hour == hour)
                return counter;
            counter = hours.GetOrAdd(hour, static (h, org) => new HourCounter(h, org), organizationId);
            if (hour >= (Volatile.Read(ref current)?.Hour ?? long.MinValue))
                Volatile.Write(ref current, counter);
            return counter;
        }

        public List<(long Hour, (string OrganizationId, UsageCounts Counts))> TakeCounters(long currentHour)
        {
            var taken = new List<(long, (string, UsageCounts))>();
            foreach (var (hour, counter) in hours)
            {
                var counts = counter.Take();
                if (!counts.IsZero)
                    taken.Add((hour, (counter.OrganizationId, counts)));
                // No request is stamped with an hour this old any more, so an empty counter can go.
                else if (hour < currentHour - 1)
                    hours.TryRemove(hour, out _);
            }
            return taken;
        }

        public void RecordScope(string scope, DateTimeOffset at) =>
            Timestamp.RaiseTo(ref scopes.GetOrAdd(scope, static _ => new Timestamp()).Ticks, at.UtcTicks);

        public List<(string Scope, DateTimeOffset At)> TakeScopes()
        {
            var taken = new List<(string, DateTimeOffset)>();
            foreach (var (scope, timestamp) in scopes)
            {
                var ticks = Interlocked.Exchange(ref timestamp.Ticks, 0);
                if (ticks != 0)
                    taken.Add((scope, new DateTimeOffset(ticks, TimeSpan.Zero)));
            }
            return taken;
        }
    }

    private sealed class Timestamp
    {
        public long Ticks;

        /// <summary>Moves <paramref name="target"/> up to <paramref name="ticks"/>; true when it moved.</summary>
        public static bool RaiseTo(ref long target, long ticks)
        {
            var seen = Volatile.Read(ref target);
            while (ticks > seen)
            {
                var previous = Interlocked.CompareExchange(ref target, ticks, seen);
                if (previous == seen)
                    return true;
                seen = previous;
            }
            return false;
        }
    }

    private sealed class HourCounter(long hour, string organizationId)
    {
        private long requests, success, clientErrors, serverErrors, unauthorized, forbidden, rateLimited;

        public long Hour { get; } = hour;
        public string OrganizationId { get; } = organizationId;

        /// <summary>One request: only the counters its status belongs to are touched.</summary>
        public void Add(int status)
        {
            Interlocked.Increment(ref requests);
            switch (status)
            {
                case >= 200 and < 300: Interlocked.Increment(ref success); break;
                case >= 500: Interlocked.Increment(ref serverErrors); break;
                case >= 400 and < 500:
                    Interlocked.Increment(ref clientErrors);
                    if (status == 401) Interlocked.Increment(ref unauthorized);
                    else if (status == 403) Interlocked.Increment(ref forbidden);
                    else if (status == 429) Interlocked.Increment(ref rateLimited);
                    break;
            }
        }

        public void Add(UsageCounts c)
        {
            Interlocked.Add(ref requests, c.Requests);
            Interlocked.Add(ref success, c.Success);
            Interlocked.Add(ref clientErrors, c.ClientErrors);
            Interlocked.Add(ref serverErrors, c.ServerErrors);
            Interlocked.Add(ref unauthorized, c.Unauthorized);
            Interlocked.Add(ref forbidden, c.Forbidden);
            Interlocked.Add(ref rateLimited, c.RateLimited);
        }

        public UsageCounts Take() => new(
            Interlocked.Exchange(ref requests, 0), Interlocked.Exchange(ref success, 0), Interlocked.Exchange(ref clientErrors, 0),
            Interlocked.Exchange(ref serverErrors, 0), Interlocked.Exchange(ref unauthorized, 0), Interlocked.Exchange(ref forbidden, 0),
            Interlocked.Exchange(ref rateLimited, 0));
    }
}

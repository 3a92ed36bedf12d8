using System.Collections.Concurrent;

namespace Backside.Core.Usage;

/// <summary>The latest use of a key: when and from which address.</summary>
public readonly record struct KeyUse(DateTimeOffset At, string? Ip);

/// <summary>What one flush takes out of the tracker.</summary>
public sealed record UsageBatch(
    IReadOnlyList<KeyValuePair<string, KeyUse>> LastUses,
    IReadOnlyList<(string ApiKeyId, string OrganizationId, DateTimeOffset HourStart, UsageCounts Counts)> Buckets,
    IReadOnlyList<(string ApiKeyId, string Scope, DateTimeOffset At)> Scopes)
{
    public bool IsEmpty => LastUses.Count == 0 && Buckets.Count == 0 && Scopes.Count == 0;
}

/// <summary>
/// Counts keyed requests in memory so that no request writes to the database; <see cref="ApiKeyUsageFlusher"/>
/// writes the totals in batches. Counters are taken with atomic exchanges, so every request is counted exactly once:
/// in the flush that took it, or in the next. Memory is bounded by keys × recent hours.
/// </summary>
public sealed class ApiKeyUsageTracker(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, KeyUse> lastUses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string KeyId, long Hour), HourCounter> hours = new();
    private readonly ConcurrentDictionary<(string KeyId, string Scope), DateTimeOffset> scopes = new();

    public int PendingKeys => lastUses.Count;

    /// <summary>A request the key was allowed to make: its time and address become the key's last use.</summary>
    public void Record(string keyId, DateTimeOffset at, string? ip) =>
        lastUses.AddOrUpdate(keyId, static (_, use) => use, static (_, existing, use) => Latest(existing, use), new KeyUse(at, ip));

    /// <summary>Any finished request made with a known key, whatever its outcome; and the scope it exercised, if it succeeded.</summary>
    public void CountRequest(string keyId, string organizationId, int status, string? scope)
    {
        var now = time.GetUtcNow();
        var hour = now.ToUnixTimeSeconds() / 3600;
        hours.GetOrAdd((keyId, hour), static (_, organizationId) => new HourCounter(organizationId), organizationId).Add(status);
        if (scope is not null && status is >= 200 and < 300)
            scopes.AddOrUpdate((keyId, scope), static (_, at) => at, static (_, existing, at) => at > existing ? at : existing, now);
    }

    /// <summary>Takes everything recorded so far; requests recorded meanwhile wait for the next flush.</summary>
    public UsageBatch Drain()
    {
        var uses = new List<KeyValuePair<string, KeyUse>>();
        foreach (var keyId in lastUses.Keys)
        {
            if (lastUses.TryRemove(keyId, out var use))
                uses.Add(new(keyId, use));
        }

        var buckets = new List<(string, string, DateTimeOffset, UsageCounts)>();
        var currentHour = time.GetUtcNow().ToUnixTimeSeconds() / 3600;
        foreach (var ((keyId, hour), counter) in hours)
        {
            var counts = counter.Take();
            if (!counts.IsZero)
                buckets.Add((keyId, counter.OrganizationId, DateTimeOffset.FromUnixTimeSeconds(hour * 3600), counts));
            // No request is stamped with an hour this old any more, so an empty counter can go.
            else if (hour < currentHour - 1)
                hours.TryRemove((keyId, hour), out _);
        }

        var scopeUses = new List<(string, string, DateTimeOffset)>();
        foreach (var key in scopes.Keys)
        {
            if (scopes.TryRemove(key, out var at))
                scopeUses.Add((key.KeyId, key.Scope, at));
        }
        return new UsageBatch(uses, buckets, scopeUses);
    }

    /// <summary>Puts a batch back after a failed write, so nothing is lost.</summary>
    public void Restore(UsageBatch batch)
    {
        foreach (var (keyId, use) in batch.LastUses)
            lastUses.AddOrUpdate(keyId, static (_, use) => use, static (_, existing, use) => Latest(existing, use), use);
        foreach (var (keyId, organizationId, hourStart, counts) in batch.Buckets)
            hours.GetOrAdd((keyId, hourStart.ToUnixTimeSeconds() / 3600), static (_, org) => new HourCounter(org), organizationId).Add(counts);
        foreach (var (keyId, scope, at) in batch.Scopes)
            scopes.AddOrUpdate((keyId, scope), static (_, at) => at, static (_, existing, at) => at > existing ? at : existing, at);
    }

    private static KeyUse Latest(KeyUse a, KeyUse b) => b.At >= a.At ? b : a;

    private sealed class HourCounter(string organizationId)
    {
        private long requests, success, clientErrors, serverErrors, unauthorized, forbidden, rateLimited;

        public string OrganizationId { get; } = organizationId;

        public void Add(int status) => Add(UsageCounts.ForStatus(status));

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

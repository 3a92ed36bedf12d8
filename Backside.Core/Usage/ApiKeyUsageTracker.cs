using System.Collections.Concurrent;

namespace Backside.Core.Usage;

/// <summary>The latest use of a key: when and from which address.</summary>
public readonly record struct KeyUse(DateTimeOffset At, string? Ip);

/// <summary>
/// Remembers key usage in memory so that a keyed request never writes to the database; <see cref="ApiKeyUsageFlusher"/>
/// writes what accumulated in batches. One entry per key, however many requests, so memory stays bounded by key count.
/// </summary>
public sealed class ApiKeyUsageTracker
{
    private readonly ConcurrentDictionary<string, KeyUse> pending = new(StringComparer.Ordinal);

    public int PendingKeys => pending.Count;

    public void Record(string keyId, DateTimeOffset at, string? ip) =>
        pending.AddOrUpdate(keyId, static (_, use) => use, static (_, existing, use) => Latest(existing, use), new KeyUse(at, ip));

    /// <summary>Takes everything recorded so far; uses recorded meanwhile wait for the next flush.</summary>
    public IReadOnlyList<KeyValuePair<string, KeyUse>> Drain()
    {
        var batch = new List<KeyValuePair<string, KeyUse>>(pending.Count);
        foreach (var keyId in pending.Keys)
        {
            if (pending.TryRemove(keyId, out var use))
                batch.Add(new(keyId, use));
        }
        return batch;
    }

    /// <summary>Puts a batch back after a failed write, keeping whichever use is newer, so nothing is lost.</summary>
    public void Restore(IEnumerable<KeyValuePair<string, KeyUse>> batch)
    {
        foreach (var (keyId, use) in batch)
            pending.AddOrUpdate(keyId, static (_, use) => use, static (_, existing, use) => Latest(existing, use), use);
    }

    private static KeyUse Latest(KeyUse a, KeyUse b) => b.At >= a.At ? b : a;
}

using System.Collections.Concurrent;
using System.Net;
using Backside.Core.Common;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Backside.Core.ApiKeys;

/// <summary>
/// The hot path's lookup: credentials by secret hash through <see cref="HybridCache"/> (in memory, with a shared
/// second level when one is configured), the database only on a miss. A hash that matches no key is remembered
/// apart, briefly and in a size-bounded cache, so a stream of well-formed but wrong keys neither reaches the database
/// twice nor grows memory without bound, and crowds no real key out of the credential cache; each client address may
/// cause only so many lookups that find nothing (<see cref="UnknownApiKeyOptions"/>).
/// </summary>
/// <remarks>
/// A singleton that opens a DI scope (and so a DbContext) only on a miss: building a DbContext for every request,
/// hit or not, cost the hot path more than everything else it does.
/// <para>
/// A lookup that read the database just before a change committed can store its (now stale) answer just after the
/// change removed the entry: a cache's remove does not stop a load in flight. So every invalidation takes a number
/// from a counter and notes it for the hashes it removes, and every load notes the counter before it reads; an entry
/// loaded before a later invalidation of its hash is dropped and read again.
/// </para>
/// <para>
/// Across instances (docs/design.md, "Credential cache across instances"): a change is announced
/// (<see cref="IApiKeyChangeAnnouncer"/>) after it committed, and every instance forgets the hash as if it had made
/// the change, in memory and in the second level. The counter stays per process: an entry that arrived from the
/// second level counts as loaded before every invalidation noted here. A load that a change overtook stores nothing,
/// and one that an announcement overtook while it was writing takes its write back; so a stale answer written to
/// the second level is removed by its writer or by the announcement that reaches it later. While announcements may
/// be missed (<see cref="ApiKeyCacheCoherence"/>) an instance writes only to its memory, trusts an entry for a
/// second, and drops everything from before once it hears again.
/// </para>
/// </remarks>
public sealed partial class CachedApiKeyCredentialStore(
    IServiceScopeFactory scopes, HybridCache cache, TimeProvider time, FixedWindowThrottle throttle, IOptions<UnknownApiKeyOptions> options,
    ApiKeyCacheCoherence coherence, IApiKeyChangeAnnouncer announcer, ILogger<CachedApiKeyCredentialStore> logger)
    : IApiKeyCredentialStore, IApiKeyCacheInvalidator, IDisposable
{
    private static readonly HybridCacheEntryOptions Entry = new()
    {
        Expiration = TimeSpan.FromMinutes(10),
        LocalCacheExpiration = TimeSpan.FromMinutes(10),
    };

    /// <summary>While announcements may be missed, nothing goes to the second level: no one could take it back.</summary>
    private static readonly HybridCacheEntryOptions LocalEntry = new()
    {
        Expiration = Entry.Expiration,
        LocalCacheExpiration = Entry.LocalCacheExpiration,
        Flags = HybridCacheEntryFlags.DisableDistributedCacheWrite,
    };

    /// <summary>
    /// Memory only, read first on every request (a hit costs no round trip). While announcements may be missed, the
    /// second level is not read at all: the age of its entry can't be judged without trusting another machine's
    /// clock, and the database is one read a second away.
    /// </summary>
    private static readonly HybridCacheEntryOptions LocalOnly = new()
    {
        Flags = HybridCacheEntryFlags.DisableUnderlyingData | HybridCacheEntryFlags.DisableDistributedCacheRead,
    };

    /// <summary>The second level only, after a miss (or a stale entry) in memory; a hit there is copied to memory.</summary>
    private static readonly HybridCacheEntryOptions SharedOnly = new()
    {
        Flags = HybridCacheEntryFlags.DisableUnderlyingData | HybridCacheEntryFlags.DisableLocalCacheRead,
    };

    /// <summary>
    /// Reads the database (concurrent misses of one hash share one read) and nothing else: the caches were read just
    /// before, and only keys that exist are stored, after the checks below.
    /// </summary>
    private static readonly HybridCacheEntryOptions LoadOnly = new()
    {
        Flags = HybridCacheEntryFlags.DisableLocalCache | HybridCacheEntryFlags.DisableDistributedCache,
    };

    /// <summary>Longer than a second-level write may take (Backside.Web gives a Redis command 500 ms).</summary>
    private static readonly TimeSpan SecondLevelWriteSettles = TimeSpan.FromSeconds(2);

    /// <summary>How long a noted invalidation is kept: as long as an entry loaded before it could live.</summary>
    private static readonly TimeSpan InvalidationMemory = Entry.Expiration!.Value + TimeSpan.FromMinutes(1);

    private long invalidations;
    private long lastForgotten;
    private readonly ConcurrentDictionary<string, NotedInvalidation> invalidated = new(StringComparer.Ordinal);

    /// <summary>Hashes that matched nothing, each with the time (by <see cref="TimeProvider"/>) it stops being remembered.</summary>
    private readonly MemoryCache unknown = new(new MemoryCacheOptions { SizeLimit = options.Value.CacheEntries });

    /// <summary>How many unknown keys are remembered now: never more than <see cref="UnknownApiKeyOptions.CacheEntries"/>.</summary>
    public int RememberedUnknownKeys => unknown.Count;

    public async ValueTask<ApiKeyLookup> FindBySecretHashAsync(byte[] secretHash, IPAddress? client, CancellationToken ct)
    {
        var cacheKey = CacheKey(secretHash);
        var hearing = coherence.IsHearing;
        var cached = await cache.GetOrCreateAsync<CachedCredential?>(cacheKey, static _ => default, LocalOnly, cancellationToken: ct);
        if (cached is not null)
        {
            if (IsCurrent(cacheKey, cached))
                return ApiKeyLookup.Found(cached.Credential);
            if (IsInvalidated(cacheKey, cached))
                await RemoveAsync(cacheKey);
        }

        // Nothing leaves the process before these two: a stream of made-up keys costs neither a Redis round trip
        // nor a database read beyond its address's budget.
        if (IsKnownUnknown(cacheKey))
            return ApiKeyLookup.NoSuchKey;
        var limits = options.Value;
        var budget = BudgetPartition(client);
        var permit = throttle.Peek(budget, limits.LookupsPerAddress, limits.Window);
        if (!permit.Allowed)
            return ApiKeyLookup.Throttled(permit);

        if (hearing)
        {
            cached = await cache.GetOrCreateAsync<CachedCredential?>(cacheKey, static _ => default, SharedOnly, cancellationToken: ct);
            if (cached is not null && IsCurrent(cacheKey, cached))
                return ApiKeyLookup.Found(cached.Credential);
        }

        var loaded = await cache.GetOrCreateAsync(
            cacheKey,
            (store: this, secretHash),
            static (state, token) => state.store.ReadDatabaseAsync(state.secretHash, token),
            LoadOnly,
            cancellationToken: ct);
        if (loaded.Credential is null)
        {
            RememberUnknown(cacheKey);
            throttle.Acquire(budget, limits.LookupsPerAddress, limits.Window);
            return ApiKeyLookup.NoSuchKey;
        }
        await StoreAsync(cacheKey, loaded, ct);
        return ApiKeyLookup.Found(loaded.Credential);
    }

    /// <summary>
    /// A load a change overtook stores nothing (the next request reads again). One that wrote to the second level
    /// while an announcement or a subscription loss arrived takes its write back: the announcement's own removal may
    /// have come before the write.
    /// </summary>
    private async Task StoreAsync(string cacheKey, CachedCredential loaded, CancellationToken ct)
    {
        if (IsInvalidated(cacheKey, loaded))
            return;
        var shared = HeardThroughout(loaded);
        await cache.SetAsync(cacheKey, loaded, shared ? Entry : LocalEntry, cancellationToken: ct);
        if (!shared)
            return;
        if (IsInvalidated(cacheKey, loaded) || !HeardThroughout(loaded))
            await RemoveAsync(cacheKey);
        else
            _ = TakeBackLaterIfOvertakenAsync(cacheKey, loaded);
    }

    /// <summary>
    /// HybridCache returns from <c>SetAsync</c> before its write to the second level is done (that write runs in the
    /// background), so the check right after may come before the write lands; this one comes after it has landed or
    /// failed. Real time on purpose: it waits for Redis, not for the clock.
    /// </summary>
    private async Task TakeBackLaterIfOvertakenAsync(string cacheKey, CachedCredential loaded)
    {
        await Task.Delay(SecondLevelWriteSettles);
        if (IsInvalidated(cacheKey, loaded) || loaded.Epoch != coherence.Epoch)
            await RemoveAsync(cacheKey);
    }

    /// <summary>No loss or restoration since the load began, and hearing now: so hearing all along.</summary>
    private bool HeardThroughout(CachedCredential loaded) => coherence.IsHearing && loaded.Epoch == coherence.Epoch;

    private bool IsCurrent(string cacheKey, CachedCredential cached) => coherence.Trusts(cached) && !IsInvalidated(cacheKey, cached);

    /// <summary>Until the first invalidation of this process there is nothing to look up.</summary>
    private bool IsInvalidated(string cacheKey, CachedCredential cached) =>
        Volatile.Read(ref invalidations) != 0 && invalidated.TryGetValue(cacheKey, out var noted) && cached.LoadedAt < noted.Number;

    private bool IsKnownUnknown(string cacheKey) =>
        unknown.TryGetValue(cacheKey, out var until) && time.GetUtcNow().UtcTicks < (long)until!;

    /// <summary>A full cache adds nothing (and compacts itself); the lookup budget still bounds what that costs.</summary>
    private void RememberUnknown(string cacheKey)
    {
        var lifetime = options.Value.CacheLifetime;
        using var entry = unknown.CreateEntry(cacheKey);
        entry.Value = (time.GetUtcNow() + lifetime).UtcTicks;
        entry.Size = 1;
        entry.AbsoluteExpirationRelativeToNow = lifetime;
    }

    private static string BudgetPartition(IPAddress? client) => "unknown-keys:" + FixedWindowThrottle.AddressPartition(client);

    private async ValueTask<CachedCredential> ReadDatabaseAsync(byte[] secretHash, CancellationToken ct)
    {
        var loadedAt = Volatile.Read(ref invalidations);
        var epoch = coherence.Epoch;
        var cachedAt = time.GetTimestamp();
        await using var scope = scopes.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<DatabaseApiKeyCredentialStore>();
        return new CachedCredential(await database.FindBySecretHashAsync(secretHash, ct)) { LoadedAt = loadedAt, Epoch = epoch, CachedAt = cachedAt };
    }

    /// <summary>
    /// Called after the change has committed, so a load that starts after the number is taken sees it. The other
    /// instances are told once this one has forgotten the hashes, in memory and in the second level.
    /// </summary>
    public async Task InvalidateAsync(IEnumerable<byte[]?> secretHashes, CancellationToken ct)
    {
        var cacheKeys = secretHashes.OfType<byte[]>().Select(CacheKey).ToList();
        await ForgetAsync(cacheKeys);
        await announcer.AnnounceAsync(cacheKeys, CancellationToken.None);
    }

    /// <summary>Another instance changed these keys: forget them as if the change had been made here.</summary>
    public Task ForgetAnnouncedAsync(IReadOnlyList<string> cacheKeys) => ForgetAsync(cacheKeys);

    private async Task ForgetAsync(IReadOnlyList<string> cacheKeys)
    {
        var number = Interlocked.Increment(ref invalidations);
        var now = time.GetTimestamp();
        // Every hash is noted before any entry is removed; a slower, older invalidation never lowers a newer number.
        foreach (var cacheKey in cacheKeys)
            invalidated.AddOrUpdate(cacheKey, new NotedInvalidation(number, now), (_, old) => old.Number >= number ? old : new NotedInvalidation(number, now));
        foreach (var cacheKey in cacheKeys)
        {
            unknown.Remove(cacheKey);
            await RemoveAsync(cacheKey);
        }
        ForgetOldInvalidations(now);
    }

    /// <summary>
    /// Memory first, then the second level. An unreachable second level does not fail the request or the change: the
    /// noted invalidation still refuses what it holds, and the announcement removes it there once Redis is back.
    /// </summary>
    private async Task RemoveAsync(string cacheKey)
    {
        try
        {
            await cache.RemoveAsync(cacheKey, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.SecondLevelRemoveFailed(logger, ex.GetType().Name);
        }
    }

    public void Dispose() => unknown.Dispose();

    /// <summary>
    /// Invalidations come only from authenticated writes; keeping each for the entries' lifetime (plus the longest a
    /// database read can take) bounds the map. The sweep runs at most once a minute, so its cost stays linear.
    /// </summary>
    private void ForgetOldInvalidations(long now)
    {
        var last = Volatile.Read(ref lastForgotten);
        if (time.GetElapsedTime(last, now) < TimeSpan.FromMinutes(1) || Interlocked.CompareExchange(ref lastForgotten, now, last) != last)
            return;
        foreach (var (cacheKey, noted) in invalidated)
        {
            if (time.GetElapsedTime(noted.At, now) > InvalidationMemory)
                invalidated.TryRemove(KeyValuePair.Create(cacheKey, noted));
        }
    }

    private readonly record struct NotedInvalidation(long Number, long At);

    private const string CacheKeyPrefix = "api-key:";

    /// <summary><c>api-key:</c> and the hash in hex, made in one allocation (it is made on every keyed request).</summary>
    private static string CacheKey(byte[] secretHash) =>
        string.Create(CacheKeyPrefix.Length + secretHash.Length * 2, secretHash, static (key, hash) =>
        {
            CacheKeyPrefix.CopyTo(key);
            Convert.TryToHexStringLower(hash, key[CacheKeyPrefix.Length..], out _);
        });

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Warning, "Removing a credential from the shared cache failed ({Error}); this instance refuses it anyway, and the others on the announcement.")]
        public static partial void SecondLevelRemoveFailed(ILogger logger, string error);
    }
}

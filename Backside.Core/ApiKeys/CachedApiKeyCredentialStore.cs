using System.Collections.Concurrent;
using System.Net;
using Backside.Core.Common;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
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
/// </remarks>
public sealed class CachedApiKeyCredentialStore(
    IServiceScopeFactory scopes, HybridCache cache, TimeProvider time, FixedWindowThrottle throttle, IOptions<UnknownApiKeyOptions> options)
    : IApiKeyCredentialStore, IApiKeyCacheInvalidator, IDisposable
{
    private static readonly HybridCacheEntryOptions Entry = new()
    {
        Expiration = TimeSpan.FromMinutes(10),
        LocalCacheExpiration = TimeSpan.FromMinutes(10),
    };

    /// <summary>Reads what is cached and nothing else: a miss answers null.</summary>
    private static readonly HybridCacheEntryOptions CachedOnly = new() { Flags = HybridCacheEntryFlags.DisableUnderlyingData };

    /// <summary>Reads the database (concurrent misses of one hash share one read) but stores nothing: only keys that exist are stored.</summary>
    private static readonly HybridCacheEntryOptions LoadOnly = new()
    {
        Flags = HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite,
    };

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
        var cached = await cache.GetOrCreateAsync<CachedCredential?>(cacheKey, static _ => default, CachedOnly, cancellationToken: ct);
        if (cached is not null)
        {
            if (!IsStale(cacheKey, cached))
                return ApiKeyLookup.Found(cached.Credential);
            await cache.RemoveAsync(cacheKey, ct);
        }
        if (IsKnownUnknown(cacheKey))
            return ApiKeyLookup.NoSuchKey;

        var limits = options.Value;
        var budget = BudgetPartition(client);
        var permit = throttle.Peek(budget, limits.LookupsPerAddress, limits.Window);
        if (!permit.Allowed)
            return ApiKeyLookup.Throttled(permit);

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
        await cache.SetAsync(cacheKey, loaded, Entry, cancellationToken: ct);
        return ApiKeyLookup.Found(loaded.Credential);
    }

    /// <summary>Until the first invalidation of this process there is nothing to look up.</summary>
    private bool IsStale(string cacheKey, CachedCredential cached) =>
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
        await using var scope = scopes.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<DatabaseApiKeyCredentialStore>();
        return new CachedCredential(await database.FindBySecretHashAsync(secretHash, ct)) { LoadedAt = loadedAt };
    }

    /// <summary>Called after the change has committed, so a load that starts after the number is taken sees it.</summary>
    public async Task InvalidateAsync(IEnumerable<byte[]?> secretHashes, CancellationToken ct)
    {
        var number = Interlocked.Increment(ref invalidations);
        var now = time.GetTimestamp();
        var cacheKeys = secretHashes.OfType<byte[]>().Select(CacheKey).ToList();
        // Every hash is noted before any entry is removed; a slower, older invalidation never lowers a newer number.
        foreach (var cacheKey in cacheKeys)
            invalidated.AddOrUpdate(cacheKey, new NotedInvalidation(number, now), (_, old) => old.Number >= number ? old : new NotedInvalidation(number, now));
        foreach (var cacheKey in cacheKeys)
        {
            unknown.Remove(cacheKey);
            await cache.RemoveAsync(cacheKey, ct);
        }
        ForgetOldInvalidations(now);
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
}

using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Core.ApiKeys;

/// <summary>Removes cached credentials when a key changes, so the change holds from the very next request.</summary>
public interface IApiKeyCacheInvalidator
{
    /// <summary>
    /// Forgets the credentials cached under these secret hashes. Other instances are told through the same seam once a
    /// shared cache is configured.
    /// </summary>
    Task InvalidateAsync(IEnumerable<byte[]?> secretHashes, CancellationToken ct);
}

/// <summary>
/// The hot path's lookup: credentials by secret hash through <see cref="HybridCache"/> (in memory, with a shared
/// second level when one is configured), the database only on a miss. Known and unknown hashes are both cached, so
/// a stream of well-formed but wrong keys does not reach the database either.
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
public sealed class CachedApiKeyCredentialStore(IServiceScopeFactory scopes, HybridCache cache, TimeProvider time)
    : IApiKeyCredentialStore, IApiKeyCacheInvalidator
{
    private static readonly HybridCacheEntryOptions Entry = new()
    {
        Expiration = TimeSpan.FromMinutes(10),
        LocalCacheExpiration = TimeSpan.FromMinutes(10),
    };

    /// <summary>How long a noted invalidation is kept: as long as an entry loaded before it could live.</summary>
    private static readonly TimeSpan InvalidationMemory = Entry.Expiration!.Value + TimeSpan.FromMinutes(1);

    private long invalidations;
    private long lastForgotten;
    private readonly ConcurrentDictionary<string, NotedInvalidation> invalidated = new(StringComparer.Ordinal);

    public async ValueTask<ApiKeyCredential?> FindBySecretHashAsync(byte[] secretHash, CancellationToken ct)
    {
        var cacheKey = CacheKey(secretHash);
        var found = await LoadAsync(cacheKey, secretHash, ct);
        // Until the first invalidation of this process there is nothing to look up.
        if (Volatile.Read(ref invalidations) != 0 && invalidated.TryGetValue(cacheKey, out var noted) && found.LoadedAt < noted.Number)
        {
            await cache.RemoveAsync(cacheKey, ct);
            found = await LoadAsync(cacheKey, secretHash, ct);
        }
        return found.Credential;
    }

    private ValueTask<CachedCredential> LoadAsync(string cacheKey, byte[] secretHash, CancellationToken ct) =>
        cache.GetOrCreateAsync(
            cacheKey,
            (store: this, secretHash),
            static (state, token) => state.store.ReadDatabaseAsync(state.secretHash, token),
            Entry,
            cancellationToken: ct);

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
            await cache.RemoveAsync(cacheKey, ct);
        ForgetOldInvalidations(now);
    }

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

/// <summary>A cache entry: the credential, or null for a hash that matches no key.</summary>
[System.ComponentModel.ImmutableObject(true)]
public sealed record CachedCredential(ApiKeyCredential? Credential)
{
    /// <summary>
    /// The invalidation counter of this process when the entry was read from the database. Not shared: an entry from
    /// another instance counts as loaded before any invalidation noted here, so it is read again.
    /// </summary>
    [JsonIgnore]
    public long LoadedAt { get; init; }
}

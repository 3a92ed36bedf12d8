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
/// </remarks>
public sealed class CachedApiKeyCredentialStore(IServiceScopeFactory scopes, HybridCache cache)
    : IApiKeyCredentialStore, IApiKeyCacheInvalidator
{
    private static readonly HybridCacheEntryOptions Entry = new()
    {
        Expiration = TimeSpan.FromMinutes(10),
        LocalCacheExpiration = TimeSpan.FromMinutes(10),
    };

    public async ValueTask<ApiKeyCredential?> FindBySecretHashAsync(byte[] secretHash, CancellationToken ct)
    {
        var found = await cache.GetOrCreateAsync(
            CacheKey(secretHash),
            (scopes, secretHash),
            static async (state, token) =>
            {
                await using var scope = state.scopes.CreateAsyncScope();
                var database = scope.ServiceProvider.GetRequiredService<DatabaseApiKeyCredentialStore>();
                return new CachedCredential(await database.FindBySecretHashAsync(state.secretHash, token));
            },
            Entry,
            cancellationToken: ct);
        return found.Credential;
    }

    public async Task InvalidateAsync(IEnumerable<byte[]?> secretHashes, CancellationToken ct)
    {
        foreach (var hash in secretHashes)
        {
            if (hash is not null)
                await cache.RemoveAsync(CacheKey(hash), ct);
        }
    }

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
public sealed record CachedCredential(ApiKeyCredential? Credential);

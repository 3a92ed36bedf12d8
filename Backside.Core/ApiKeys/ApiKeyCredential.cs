using System.Net;
using Backside.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Backside.Core.ApiKeys;

/// <summary>What the authentication handler needs to know about a key; a snapshot, safe to cache.</summary>
public sealed record ApiKeyCredential(
    string Id,
    string OrganizationId,
    bool Livemode,
    ScopeSet Scopes,
    ApiKeyStatus Status,
    DateTimeOffset? ExpiresAt,
    int? RateLimitPerMinute,
    IReadOnlyList<IPNetwork> AllowedNetworks,
    IReadOnlyList<string> AllowedReferrers,
    byte[] SecretHash,
    DateTimeOffset? SecretExpiresAt)
{
    public ApiKeyStatus EffectiveStatus(DateTimeOffset now) => ApiKey.EffectiveStatus(Status, ExpiresAt, now);

    /// <summary>False for the old secret of a rotated key once its grace window has passed.</summary>
    public bool IsSecretCurrent(DateTimeOffset now) => SecretExpiresAt is null || now < SecretExpiresAt;
}

/// <summary>Finds a key by the SHA-256 of its secret. The seam where a cache goes in front of the database.</summary>
public interface IApiKeyCredentialStore
{
    Task<ApiKeyCredential?> FindBySecretHashAsync(byte[] secretHash, CancellationToken ct);
}

public sealed class DatabaseApiKeyCredentialStore(BacksideDbContext db) : IApiKeyCredentialStore
{
    /// <summary>Matches the current secret, or the previous one of a rotated key (which then carries its expiry).</summary>
    public async Task<ApiKeyCredential?> FindBySecretHashAsync(byte[] secretHash, CancellationToken ct)
    {
        var key = await db.ApiKeys.AsNoTracking()
            .Where(k => k.SecretHash == secretHash || k.PreviousSecretHash == secretHash)
            .Select(k => new
            {
                k.Id, k.OrganizationId, k.Livemode, k.Scopes, k.Status, k.ExpiresAt, k.RateLimitPerMinute,
                k.AllowedIps, k.AllowedReferrers, k.SecretHash, k.PreviousSecretHash, k.PreviousSecretExpiresAt,
            })
            .FirstOrDefaultAsync(ct);
        if (key is null)
            return null;

        var isCurrent = key.SecretHash.AsSpan().SequenceEqual(secretHash);
        return new ApiKeyCredential(
            key.Id, key.OrganizationId, key.Livemode, ScopeSet.FromStored(key.Scopes), key.Status, key.ExpiresAt,
            key.RateLimitPerMinute, ApiKeyRestrictions.ParseNetworks(key.AllowedIps), key.AllowedReferrers,
            isCurrent ? key.SecretHash : key.PreviousSecretHash!,
            isCurrent ? null : key.PreviousSecretExpiresAt ?? DateTimeOffset.MinValue);
    }
}

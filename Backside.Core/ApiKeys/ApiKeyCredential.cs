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
    byte[] SecretHash)
{
    public ApiKeyStatus EffectiveStatus(DateTimeOffset now) => ApiKey.EffectiveStatus(Status, ExpiresAt, now);
}

/// <summary>Finds a key by the SHA-256 of its secret. The seam where a cache goes in front of the database.</summary>
public interface IApiKeyCredentialStore
{
    Task<ApiKeyCredential?> FindBySecretHashAsync(byte[] secretHash, CancellationToken ct);
}

public sealed class DatabaseApiKeyCredentialStore(BacksideDbContext db) : IApiKeyCredentialStore
{
    public async Task<ApiKeyCredential?> FindBySecretHashAsync(byte[] secretHash, CancellationToken ct)
    {
        var key = await db.ApiKeys.AsNoTracking()
            .Where(k => k.SecretHash == secretHash)
            .Select(k => new { k.Id, k.OrganizationId, k.Livemode, k.Scopes, k.Status, k.ExpiresAt, k.SecretHash })
            .SingleOrDefaultAsync(ct);
        return key is null
            ? null
            : new ApiKeyCredential(key.Id, key.OrganizationId, key.Livemode, ScopeSet.FromStored(key.Scopes), key.Status, key.ExpiresAt, key.SecretHash);
    }
}

using Backside.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Backside.Core.ApiKeys;

/// <summary>The database read behind the cache.</summary>
public sealed class DatabaseApiKeyCredentialStore(BacksideDbContext db)
{
    /// <summary>Matches the current secret, or the previous one of a rotated key (which then carries its expiry).</summary>
    public async ValueTask<ApiKeyCredential?> FindBySecretHashAsync(byte[] secretHash, CancellationToken ct)
    {
        var key = await db.ApiKeys.AsNoTracking()
            .Where(k => k.SecretHash == secretHash || k.PreviousSecretHash == secretHash)
            .Select(k => new
            {
                k.Id,
                k.OrganizationId,
                k.Livemode,
                k.Scopes,
                k.Status,
                k.ExpiresAt,
                k.RateLimitPerMinute,
                k.AllowedIps,
                k.AllowedReferrers,
                k.SecretHash,
                k.PreviousSecretHash,
                k.PreviousSecretExpiresAt,
            })
            .FirstOrDefaultAsync(ct);
        if (key is null)
            return null;

        var isCurrent = key.SecretHash.AsSpan().SequenceEqual(secretHash);
        return new ApiKeyCredential(
            key.Id, key.OrganizationId, key.Livemode, key.Scopes, key.Status, key.ExpiresAt,
            key.RateLimitPerMinute, key.AllowedIps, key.AllowedReferrers,
            isCurrent ? key.SecretHash : key.PreviousSecretHash!,
            isCurrent ? null : key.PreviousSecretExpiresAt ?? DateTimeOffset.MinValue);
    }
}

using Backside.Core.Data;
using Backside.Core.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Backside.Core.ApiKeys;

/// <summary>The database read behind the cache: the key and its organization's plan, in one query.</summary>
public sealed class DatabaseApiKeyCredentialStore(BacksideDbContext db, IOptions<PlansOptions> plans)
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
                Plan = db.Organizations.Where(o => o.Id == k.OrganizationId).Select(o => o.Plan).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        if (key is null)
            return null;

        var isCurrent = key.SecretHash.AsSpan().SequenceEqual(secretHash);
        var plan = plans.Value.Resolve(key.Plan ?? PlanOptions.DefaultPlanName);
        return new ApiKeyCredential(
            key.Id, key.OrganizationId, key.Livemode, key.Scopes, key.Status, key.ExpiresAt,
            key.RateLimitPerMinute, key.AllowedIps, key.AllowedReferrers,
            isCurrent ? key.SecretHash : key.PreviousSecretHash!,
            isCurrent ? null : key.PreviousSecretExpiresAt ?? DateTimeOffset.MinValue,
            plan.Name, plan.Limits.DefaultRateLimitPerMinute, plan.Limits.MaxRateLimitPerMinute);
    }
}

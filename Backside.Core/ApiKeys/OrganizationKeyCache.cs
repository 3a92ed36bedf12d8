using Backside.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Backside.Core.ApiKeys;

/// <summary>
/// Forgets every cached credential of one organization, here and (through <see cref="IApiKeyCacheInvalidator"/>'s
/// announcement) on every instance: for a change that is not to one key but to what all its keys carry (the plan).
/// </summary>
/// <remarks>
/// Reads the hashes a credential can be cached under (the current secret, and the previous one in a rotation's grace
/// window) of the organization's keys that still work, in id order and in batches, so neither the query nor one
/// announcement grows with the organization. Call it after the change committed: a load that began before and stores
/// after is refused by the invalidation noted for its hash, as for a single key.
/// </remarks>
public sealed class OrganizationKeyCache(BacksideDbContext db, IApiKeyCacheInvalidator cache)
{
    public const int BatchSize = 500;

    /// <summary>Returns how many keys were invalidated.</summary>
    public async Task<int> InvalidateAsync(string organizationId, CancellationToken ct = default)
    {
        var invalidated = 0;
        string? after = null;
        while (true)
        {
            var query = db.ApiKeys.AsNoTracking()
                .Where(k => k.OrganizationId == organizationId && k.Status != ApiKeyStatus.Revoked);
            if (after is not null)
#pragma warning disable CA1309 // EF Core turns string.Compare into SQL's own comparison (ids are ASCII); CompareOrdinal has no translation.
                query = query.Where(k => string.Compare(k.Id, after) > 0);
#pragma warning restore CA1309
            var batch = await query
                .OrderBy(k => k.Id)
                .Take(BatchSize)
                .Select(k => new { k.Id, k.SecretHash, k.PreviousSecretHash })
                .ToListAsync(ct);
            if (batch.Count == 0)
                return invalidated;
            await cache.InvalidateAsync(batch.SelectMany(k => new[] { k.SecretHash, k.PreviousSecretHash }), ct);
            invalidated += batch.Count;
            if (batch.Count < BatchSize)
                return invalidated;
            after = batch[^1].Id;
        }
    }
}

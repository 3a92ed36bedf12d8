using Backside.Core.ApiKeys;
using Backside.Core.Common;
using Backside.Core.Data;
using Backside.Core.Organizations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Backside.Core.Identity;

/// <summary>
/// Closes an account. No key may outlive the last person who could revoke it, so when the account is the only Owner
/// of an organization, that organization's keys that are not revoked yet are revoked first, each through
/// <see cref="ApiKeyService.RevokeAsync"/> (audited, cache entry dropped), by the departing owner. The revocations
/// commit before the account goes: should the deletion then fail, the keys are dead and the account remains, never
/// the other way round.
/// </summary>
public sealed class AccountDeletion(BacksideDbContext db, UserManager<ApplicationUser> users, ApiKeyService keys)
{
    private const int MaxRevocationRounds = 5;

    /// <summary>What deleting the account would revoke, for the page to say before the person confirms.</summary>
    public async Task<IReadOnlyList<OrphanedKeys>> PreviewAsync(string userId, CancellationToken ct = default)
    {
        var organizations = await SolelyOwnedAsync(userId, ct);
        var counts = await db.ApiKeys
            .Where(k => organizations.Select(o => o.Id).Contains(k.OrganizationId) && k.Status != ApiKeyStatus.Revoked)
            .GroupBy(k => k.OrganizationId)
            .Select(g => new { OrganizationId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.OrganizationId, g => g.Count, ct);
        return organizations
            .Where(o => counts.ContainsKey(o.Id))
            .Select(o => new OrphanedKeys(o.Id, o.Name, counts[o.Id]))
            .ToList();
    }

    /// <summary>
    /// Checks the password (when the account has one), revokes the keys that would be orphaned, deletes the account.
    /// Returns what was revoked.
    /// </summary>
    public async Task<OperationResult<OrphanedKeys[]>> DeleteAsync(
        ApplicationUser user, string? password, ClientInfo? client, CancellationToken ct = default)
    {
        if (await users.HasPasswordAsync(user) && !await users.CheckPasswordAsync(user, password ?? ""))
            return OperationError.Forbidden("invalid_password", "The password is wrong.");

        var revoked = new List<OrphanedKeys>();
        foreach (var organization in await SolelyOwnedAsync(user.Id, ct))
        {
            var caller = Caller.ForMember(new Membership(organization.Id, organization.Name, OrganizationRole.Owner), user.Id, client);
            var count = 0;
            // Until none is left: a key of the organization could create another while the first ones are revoked
            // (once revoked, a key can create nothing, so this ends).
            for (var round = 0; round < MaxRevocationRounds; round++)
            {
                var live = await db.ApiKeys.AsNoTracking()
                    .Where(k => k.OrganizationId == organization.Id && k.Status != ApiKeyStatus.Revoked)
                    .Select(k => k.Id)
                    .ToListAsync(ct);
                if (live.Count == 0)
                    break;
                foreach (var keyId in live)
                {
                    var result = await keys.RevokeAsync(caller, keyId, ct);
                    if (result.Error is { } error)
                        return error;
                }
                count += live.Count;
            }
            if (count > 0)
                revoked.Add(new OrphanedKeys(organization.Id, organization.Name, count));
        }

        var deleted = await users.DeleteAsync(user);
        if (!deleted.Succeeded)
            throw new InvalidOperationException($"Deleting the account failed: {string.Join(", ", deleted.Errors.Select(e => e.Code))}.");
        return revoked.ToArray();
    }

    /// <summary>Organizations where the user is an Owner and no one else is.</summary>
    private async Task<List<(string Id, string Name)>> SolelyOwnedAsync(string userId, CancellationToken ct)
    {
        var owned = await db.OrganizationMembers
            .Where(m => m.UserId == userId && m.Role == OrganizationRole.Owner)
            .Where(m => !db.OrganizationMembers.Any(other =>
                other.OrganizationId == m.OrganizationId && other.Role == OrganizationRole.Owner && other.UserId != userId))
            .Join(db.Organizations, m => m.OrganizationId, o => o.Id, (m, o) => new { o.Id, o.Name })
            .OrderBy(o => o.Name)
            .ToListAsync(ct);
        return owned.Select(o => (o.Id, o.Name)).ToList();
    }
}

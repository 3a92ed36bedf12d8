using Backside.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Backside.Core.Organizations;

/// <summary>
/// The per-request membership check of the access-token rail: one query, by the membership's primary key
/// (organization, user) joined to the account by its primary key, so a token never outlives a removal, a demotion
/// or a security change by more than the request it is on. Not a compiled query: one of those is bound to the first
/// database provider it runs on, and a process (the tests, a migration tool) may hold contexts of both.
/// </summary>
public static class MembershipLookup
{
    /// <summary>The person's standing in the organization, or null when they do not (or no longer) belong to it.</summary>
    public static Task<MemberStanding?> StandingAsync(BacksideDbContext db, string organizationId, string userId, CancellationToken ct = default) =>
        db.OrganizationMembers.AsNoTracking()
            .Where(m => m.OrganizationId == organizationId && m.UserId == userId)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new MemberStanding(m.Role, u.SecurityStamp))
            .SingleOrDefaultAsync(ct);
}

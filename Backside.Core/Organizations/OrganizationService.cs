using Backside.Core.Audit;
using Backside.Core.Common;
using Backside.Core.Data;
using Backside.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Backside.Core.Organizations;

public sealed class OrganizationService(BacksideDbContext db, AuditTrail audit, TimeProvider time)
{
    /// <summary>
    /// Gives the user a personal organization with them as Owner, unless they already belong to one.
    /// Idempotent, so registration can call it inside its transaction and sign-in can repair an account that lacks one.
    /// </summary>
    public async Task<Membership> EnsurePersonalOrganizationAsync(ApplicationUser user, CancellationToken ct = default)
    {
        var existing = await FindMembershipAsync(user.Id, ct);
        if (existing is not null)
            return existing;

        var now = time.GetUtcNow();
        var organizationId = EntityId.New(EntityId.OrganizationPrefix, time);
        var organization = new Organization
        {
            Id = organizationId,
            Name = PersonalOrganizationName(user),
            Kind = OrganizationKind.Personal,
            CreatedAt = now,
            Members = [new OrganizationMember { OrganizationId = organizationId, UserId = user.Id, Role = OrganizationRole.Owner, CreatedAt = now }],
        };
        db.Organizations.Add(organization);
        audit.StartChain(organization.Id);
        await db.SaveChangesAsync(ct);
        return new Membership(organization.Id, organization.Name, OrganizationRole.Owner);
    }

    /// <summary>The organization the user works in: their oldest membership (one per user until teams arrive).</summary>
    public Task<Membership?> FindMembershipAsync(string userId, CancellationToken ct = default) =>
        db.OrganizationMembers
            .Where(m => m.UserId == userId)
            .OrderBy(m => m.CreatedAt)
            .Join(db.Organizations, m => m.OrganizationId, o => o.Id, (m, o) => new Membership(o.Id, o.Name, m.Role))
            .FirstOrDefaultAsync(ct);

    /// <summary>The user's membership of one organization, or null when they do not (or no longer) belong to it.</summary>
    public Task<Membership?> FindMembershipAsync(string userId, string organizationId, CancellationToken ct = default) =>
        db.OrganizationMembers
            .Where(m => m.UserId == userId && m.OrganizationId == organizationId)
            .Join(db.Organizations, m => m.OrganizationId, o => o.Id, (m, o) => new Membership(o.Id, o.Name, m.Role))
            .FirstOrDefaultAsync(ct);

    private static string PersonalOrganizationName(ApplicationUser user) =>
        $"{user.UserName ?? user.Email ?? "Personal"}'s organization";
}

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

    /// <summary>The user's oldest membership: where they act when nothing else says which organization.</summary>
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

    /// <summary>
    /// A team organization with <paramref name="userId"/> as its Owner. Any signed-in person may make one; an API key
    /// may not (a key acts inside its organization, never beside it).
    /// </summary>
    public async Task<OperationResult<Membership>> CreateTeamAsync(Caller caller, string? name, CancellationToken ct = default)
    {
        if (caller.Kind != CallerKind.User)
            return OperationError.Forbidden("user_required", "Only a signed-in person can create an organization; use an access token.");
        var errors = new ValidationErrors();
        var trimmed = errors.RequireText("name", name, Organization.MaxNameLength);
        if (errors.Any)
            return errors.ToError();

        var now = time.GetUtcNow();
        var organizationId = EntityId.New(EntityId.OrganizationPrefix, time);
        var organization = new Organization
        {
            Id = organizationId,
            Name = trimmed!,
            Kind = OrganizationKind.Team,
            CreatedAt = now,
            Members = [new OrganizationMember { OrganizationId = organizationId, UserId = caller.ActorId, Role = OrganizationRole.Owner, CreatedAt = now }],
        };
        db.Organizations.Add(organization);
        audit.StartChain(organization.Id);
        await db.SaveChangesAsync(ct);

        // The first event of the new organization's chain, written by its first Owner once the chain's head exists.
        var creator = Caller.ForMember(organization.Id, OrganizationRole.Owner, caller.ActorId, caller.Client);
        await using (await audit.BeginChainWriteAsync(organization.Id, ct))
        {
            await audit.AppendAsync(creator, AuditActions.OrganizationCreated, apiKeyId: null, livemode: true,
                new ChangeSet().Track("name", (string?)null, organization.Name), ct);
            await audit.SaveAsync(ct);
        }
        return new Membership(organization.Id, organization.Name, OrganizationRole.Owner);
    }

    /// <summary>Every organization the user belongs to, oldest membership first (the personal one leads).</summary>
    public Task<List<Membership>> ListMembershipsAsync(string userId, CancellationToken ct = default) =>
        db.OrganizationMembers
            .Where(m => m.UserId == userId)
            .OrderBy(m => m.CreatedAt)
            .Join(db.Organizations, m => m.OrganizationId, o => o.Id, (m, o) => new Membership(o.Id, o.Name, m.Role))
            .ToListAsync(ct);

    private static string PersonalOrganizationName(ApplicationUser user) =>
        $"{user.UserName ?? user.Email ?? "Personal"}'s organization";
}

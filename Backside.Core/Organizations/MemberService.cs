using Backside.Core.ApiKeys;
using Backside.Core.Audit;
using Backside.Core.Common;
using Backside.Core.Data;
using Backside.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Backside.Core.Organizations;

/// <summary>
/// The members of the caller's organization: list them, change a role, remove one, leave, hand ownership over. The
/// rights come from <see cref="OrganizationRoles.Grants"/> (an API key acts as an Admin would, <see cref="OrganizationActor"/>);
/// an organization always keeps at least one Owner. Every change is audited on the organization's chain, and the
/// chain's head orders concurrent changes, so two Owners demoting each other at once cannot leave none.
/// </summary>
public sealed class MemberService(BacksideDbContext db, AuditTrail audit)
{
    public async Task<OperationResult<CursorPage<MemberView>>> ListAsync(
        Caller caller, int? limit, string? startingAfter, CancellationToken ct = default)
    {
        var actor = await OrganizationActor.ResolveAsync(db, caller, Scopes.MembersRead, write: false, ct);
        if (!actor.Succeeded)
            return actor.Error;
        var errors = new ValidationErrors();
        CursorPaging.Validate(errors, limit, startingAfter, EntityId.UserPrefix);
        if (errors.Any)
            return errors.ToError();

        var take = limit ?? CursorPaging.DefaultLimit;
        var members = db.OrganizationMembers.Where(m => m.OrganizationId == caller.OrganizationId);
        if (startingAfter is not null)
#pragma warning disable CA1309 // EF Core turns string.Compare into SQL's own comparison (ids are ASCII); CompareOrdinal has no translation.
            members = members.Where(m => string.Compare(m.UserId, startingAfter) > 0);
#pragma warning restore CA1309
        // In user id order (ids are time-ordered: oldest accounts first), the order starting_after pages by.
        var rows = await members
            .OrderBy(m => m.UserId)
            .Take(take + 1)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { m.UserId, u.Email, m.Role, m.CreatedAt })
            .AsNoTracking()
            .ToListAsync(ct);
        var page = rows.OrderBy(r => r.UserId, StringComparer.Ordinal).Take(take)
            .Select(r => new MemberView(r.UserId, r.Email ?? "", r.Role, r.CreatedAt))
            .ToList();
        return new CursorPage<MemberView>(page, rows.Count > take);
    }

    /// <summary>
    /// Gives a member another role. Needs ManageMembers; making or un-making an Owner needs ManageOwners as well. The
    /// last Owner cannot be demoted (409 <c>last_owner</c>). Setting the role a member already has changes nothing.
    /// </summary>
    public Task<OperationResult<MemberView>> ChangeRoleAsync(Caller caller, string userId, string? role, CancellationToken ct = default) =>
        AuditedWrites.RunAsync<MemberView>(db, audit, caller.OrganizationId, async () =>
        {
            var actor = await OrganizationActor.ResolveAsync(db, caller, Scopes.MembersWrite, write: true, ct);
            if (!actor.Succeeded)
                return actor.Error;
            if (actor.Value.Lacks(OrganizationRight.ManageMembers, "change members' roles") is { } refused)
                return refused;
            if (OrganizationRoles.Parse(role) is not { } newRole)
                return InvalidRole(role);
            var member = await FindMemberAsync(caller, userId, ct);
            if (member is null)
                return OperationError.NotFound("member");
            if ((member.Role == OrganizationRole.Owner || newRole == OrganizationRole.Owner)
                && actor.Value.Lacks(OrganizationRight.ManageOwners, member.Role == OrganizationRole.Owner ? "change an Owner's role" : "make someone an Owner") is { } ownersOnly)
                return ownersOnly;
            if (member.Role == newRole)
                return await ViewAsync(member, ct);
            // Otherwise a co-Owner could demote the person a personal organization belongs to, then remove them from it.
            if (await IsPersonalOrganizationFounderAsync(member, ct))
                return OperationError.Conflict("personal_organization", "A personal organization's own Owner keeps the Owner role.");
            if (member.Role == OrganizationRole.Owner && await OwnerCountAsync(caller.OrganizationId, ct) <= 1)
                return LastOwner("demoted", "Make another member an Owner first.");

            var changes = new ChangeSet().Note("user_id", member.UserId).Track("role", member.Role.Name(), newRole.Name());
            member.Role = newRole;
            await audit.AppendAsync(caller, AuditActions.MemberRoleChanged, apiKeyId: null, livemode: true, changes, ct);
            await audit.SaveAsync(ct);
            return await ViewAsync(member, ct);
        }, ct);

    /// <summary>
    /// Removes a member, or (their own user id) lets a person leave. Removing someone needs ManageMembers, and
    /// ManageOwners when they are an Owner; leaving needs no right. The last Owner can neither be removed nor leave
    /// (409 <c>last_owner</c>), and a personal organization's own Owner stays in it (409 <c>personal_organization</c>).
    /// Keys the person created stay with the organization.
    /// </summary>
    public Task<OperationResult<MemberView>> RemoveAsync(Caller caller, string userId, CancellationToken ct = default) =>
        AuditedWrites.RunAsync<MemberView>(db, audit, caller.OrganizationId, async () =>
        {
            var leaving = caller.Kind == CallerKind.User && userId == caller.ActorId;
            // Leaving is one's own business: any member may, whatever their role's scopes.
            var actor = await OrganizationActor.ResolveAsync(db, caller, leaving ? null : Scopes.MembersWrite, write: true, ct);
            if (!actor.Succeeded)
                return actor.Error;
            if (!leaving && actor.Value.Lacks(OrganizationRight.ManageMembers, "remove members") is { } refused)
                return refused;
            var member = await FindMemberAsync(caller, userId, ct);
            if (member is null)
                return OperationError.NotFound("member");
            if (!leaving && member.Role == OrganizationRole.Owner
                && actor.Value.Lacks(OrganizationRight.ManageOwners, "remove an Owner") is { } ownersOnly)
                return ownersOnly;
            if (await IsPersonalOrganizationFounderAsync(member, ct))
            {
                return OperationError.Conflict("personal_organization", leaving
                    ? "You cannot leave your personal organization; it is yours for as long as your account exists."
                    : "A personal organization's own Owner cannot be removed from it.");
            }
            if (member.Role == OrganizationRole.Owner && await OwnerCountAsync(caller.OrganizationId, ct) <= 1)
            {
                return leaving
                    ? LastOwner("leave", "Transfer ownership to another member first, or delete the organization.")
                    : LastOwner("removed", "Make another member an Owner first.");
            }

            var view = await ViewAsync(member, ct);
            db.OrganizationMembers.Remove(member);
            // Their next sign-in must not try to land them here.
            var user = await db.Users.SingleOrDefaultAsync(u => u.Id == member.UserId, ct);
            if (user?.LastOrganizationId == caller.OrganizationId)
                user.LastOrganizationId = null;
            var changes = new ChangeSet().Note("user_id", member.UserId).Note("email", view.Email).Track("role", member.Role.Name(), (string?)null);
            await audit.AppendAsync(caller, leaving ? AuditActions.MemberLeft : AuditActions.MemberRemoved, apiKeyId: null, livemode: true, changes, ct);
            await audit.SaveAsync(ct);
            return view;
        }, ct);

    /// <summary>
    /// Hands the organization over: the member named becomes an Owner and the caller, an Owner, becomes an Admin.
    /// Owners only (TransferOwnership), and people only.
    /// </summary>
    public Task<OperationResult<MemberView>> TransferOwnershipAsync(Caller caller, string? userId, CancellationToken ct = default) =>
        AuditedWrites.RunAsync<MemberView>(db, audit, caller.OrganizationId, async () =>
        {
            var actor = await OrganizationActor.ResolveAsync(db, caller, Scopes.OrganizationWrite, write: true, ct);
            if (!actor.Succeeded)
                return actor.Error;
            if (actor.Value.Lacks(OrganizationRight.TransferOwnership, "transfer ownership") is { } refused)
                return refused;
            if (string.IsNullOrEmpty(userId))
                return Invalid("user_id", "user_id is required.");
            if (userId == caller.ActorId)
                return Invalid("user_id", "You cannot transfer ownership to yourself; name another member.");
            var target = await FindMemberAsync(caller, userId, ct);
            if (target is null)
                return OperationError.NotFound("member");
            var self = await db.OrganizationMembers.SingleAsync(m => m.OrganizationId == caller.OrganizationId && m.UserId == caller.ActorId, ct);
            if (await IsPersonalOrganizationFounderAsync(self, ct))
                return OperationError.Conflict("personal_organization", "A personal organization stays with its own Owner; make the member an Owner beside you instead.");

            var changes = new ChangeSet()
                .Note("from_user_id", self.UserId)
                .Note("to_user_id", target.UserId)
                .Track("to_role", target.Role.Name(), OrganizationRole.Owner.Name())
                .Track("from_role", self.Role.Name(), OrganizationRole.Admin.Name());
            target.Role = OrganizationRole.Owner;
            self.Role = OrganizationRole.Admin;
            await audit.AppendAsync(caller, AuditActions.OwnershipTransferred, apiKeyId: null, livemode: true, changes, ct);
            await audit.SaveAsync(ct);
            return await ViewAsync(target, ct);
        }, ct);

    private Task<OrganizationMember?> FindMemberAsync(Caller caller, string? userId, CancellationToken ct) =>
        EntityId.HasShape(userId, EntityId.UserPrefix)
            ? db.OrganizationMembers.SingleOrDefaultAsync(m => m.OrganizationId == caller.OrganizationId && m.UserId == userId, ct)
            : Task.FromResult<OrganizationMember?>(null);

    private Task<int> OwnerCountAsync(string organizationId, CancellationToken ct) =>
        db.OrganizationMembers.CountAsync(m => m.OrganizationId == organizationId && m.Role == OrganizationRole.Owner, ct);

    /// <summary>The person a personal organization was made for: its first member, as long as they are an Owner.</summary>
    private async Task<bool> IsPersonalOrganizationFounderAsync(OrganizationMember member, CancellationToken ct)
    {
        if (member.Role != OrganizationRole.Owner)
            return false;
        var kind = await db.Organizations.Where(o => o.Id == member.OrganizationId).Select(o => o.Kind).SingleAsync(ct);
        if (kind != OrganizationKind.Personal)
            return false;
        var founder = await db.OrganizationMembers.AsNoTracking()
            .Where(m => m.OrganizationId == member.OrganizationId)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.UserId)
            .Select(m => m.UserId)
            .FirstAsync(ct);
        return founder == member.UserId;
    }

    private async Task<MemberView> ViewAsync(OrganizationMember member, CancellationToken ct)
    {
        var email = await db.Users.Where(u => u.Id == member.UserId).Select(u => u.Email).SingleOrDefaultAsync(ct);
        return new MemberView(member.UserId, email ?? "", member.Role, member.CreatedAt);
    }

    private static OperationError InvalidRole(string? role) =>
        Invalid("role", role is null
            ? $"role is required: one of {string.Join(", ", OrganizationRoles.Names)}."
            : $"{ValidationErrors.Quote(role)} is not a role; use one of {string.Join(", ", OrganizationRoles.Names)}.");

    private static OperationError Invalid(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return errors.ToError();
    }

    private static OperationError LastOwner(string verb, string advice) =>
        OperationError.Conflict("last_owner", verb == "leave"
            ? $"You are this organization's last Owner and cannot leave it. {advice}"
            : $"This is the organization's last Owner and cannot be {verb}: an organization always has an Owner. {advice}");
}

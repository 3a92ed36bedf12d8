using Backside.Core.Common;
using Backside.Core.Data;
using Backside.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Backside.Core.Organizations;

/// <summary>
/// Who acts on an organization's members or settings, with what rights: a person with their <see cref="Role"/> as
/// stored now (an access token carries the role it was issued with, a write must not), or an API key, which has no
/// role of its own: it acts with <see cref="KeyRole"/>, the lesser of an Admin's rights and those its creator holds
/// now, and only as a live key when it writes. Without that bound a demoted Admin's key would keep (and could give
/// back to its creator) the rights the demotion took away.
/// </summary>
public sealed record OrganizationActor(OrganizationRole? Role, OrganizationRole? KeyRole = null)
{
    /// <summary>The most a key with the scope acts as: never with the Owner-only rights.</summary>
    public const OrganizationRole KeyEquivalent = OrganizationRole.Admin;

    /// <summary>How many keys-made-by-keys are followed back to the person who made the first.</summary>
    private const int MaxCreatorHops = 16;

    public bool IsKey => Role is null;

    /// <summary>The role whose rights apply: the person's, or the key's bound.</summary>
    public OrganizationRole Effective => Role ?? KeyRole ?? OrganizationRole.Viewer;

    /// <summary>Null when the actor holds <paramref name="right"/>; otherwise the 403 naming it (<paramref name="action"/> says what was refused).</summary>
    public OperationError? Lacks(OrganizationRight right, string action)
    {
        if (Role is { } role)
            return role.Grants(right) ? null : OperationError.MissingRight(right.Name(), $"A{Article(role)} {role.Name()} cannot {action}.");
        if (Effective.Grants(right))
            return null;
        return KeyEquivalent.Grants(right)
            ? OperationError.MissingRight(right.Name(),
                $"This API key cannot {action}: a key acts with at most the rights its creator holds now, and its creator is a{Article(Effective)} {Effective.Name()} or has left.")
            : OperationError.MissingRight(right.Name(), $"An API key cannot {action}; only an Owner can, signed in.");
    }

    /// <summary>
    /// The actor behind <paramref name="caller"/>. A key needs <paramref name="scope"/>, and writes only in live mode
    /// (members and settings are not test data). A person is judged by their role as stored now, not by the scopes their
    /// access token was issued with, so a refusal names the right (<c>insufficient_role</c>); one who no longer belongs
    /// to the organization is refused, as their access token will be on its next refresh. Wallets manage no organization.
    /// </summary>
    public static async Task<OperationResult<OrganizationActor>> ResolveAsync(
        BacksideDbContext db, Caller caller, string? scope, bool write, CancellationToken ct)
    {
        if (caller.Kind == CallerKind.Wallet)
            return OperationError.Forbidden("forbidden", "A wallet paying per request cannot see or manage an organization's members or settings.");
        if (caller.Kind == CallerKind.ApiKey)
        {
            if (scope is not null && !caller.Scopes.Allows(scope))
                return OperationError.InsufficientScope(scope);
            if (write && !caller.Livemode)
                return OperationError.Forbidden("live_key_required", "Members and organization settings are not test data: change them with a live key.");
            return new OrganizationActor(null, await KeyRoleAsync(db, caller, ct));
        }
        var role = await RoleOfAsync(db, caller.OrganizationId, caller.ActorId, ct);
        return role is null
            ? OperationError.Unauthenticated("organization_membership_ended", "You no longer belong to this organization.")
            : new OrganizationActor(role);
    }

    /// <summary>
    /// The lesser of <see cref="KeyEquivalent"/> and the current role of the person at the root of the key's creation
    /// (keys made by keys lead back to one); a Viewer's rights (none) when that person has left or there is none.
    /// </summary>
    private static async Task<OrganizationRole> KeyRoleAsync(BacksideDbContext db, Caller caller, CancellationToken ct)
    {
        var creator = caller.ActorId;
        for (var hop = 0; hop < MaxCreatorHops && EntityId.HasShape(creator, EntityId.ApiKeyPrefix); hop++)
        {
            creator = await db.ApiKeys
                .Where(k => k.Id == creator && k.OrganizationId == caller.OrganizationId)
                .Select(k => k.CreatedBy)
                .SingleOrDefaultAsync(ct);
        }
        if (!EntityId.HasShape(creator, EntityId.UserPrefix))
            return OrganizationRole.Viewer;
        var role = await RoleOfAsync(db, caller.OrganizationId, creator!, ct);
        return role is null ? OrganizationRole.Viewer : Lesser(role.Value, KeyEquivalent);
    }

    private static Task<OrganizationRole?> RoleOfAsync(BacksideDbContext db, string organizationId, string userId, CancellationToken ct) =>
        db.OrganizationMembers
            .Where(m => m.OrganizationId == organizationId && m.UserId == userId)
            .Select(m => (OrganizationRole?)m.Role)
            .SingleOrDefaultAsync(ct);

    /// <summary>Roles are declared from the most rights to the fewest.</summary>
    private static OrganizationRole Lesser(OrganizationRole a, OrganizationRole b) => (OrganizationRole)Math.Max((int)a, (int)b);

    private static string Article(OrganizationRole role) => role is OrganizationRole.Owner or OrganizationRole.Admin ? "n" : "";
}

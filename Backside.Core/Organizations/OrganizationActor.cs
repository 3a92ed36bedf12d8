using Backside.Core.Common;
using Backside.Core.Data;
using Backside.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Backside.Core.Organizations;

/// <summary>
/// Who acts on an organization's members or settings, with what rights: a person with their role as stored now (an
/// access token carries the role it was issued with, a write must not), or an API key, which has no role and may do
/// what an Admin may (never the Owner-only rights), and only as a live key when it writes.
/// </summary>
public sealed record OrganizationActor(OrganizationRole? Role)
{
    /// <summary>The rights a key with the scope acts with.</summary>
    public const OrganizationRole KeyEquivalent = OrganizationRole.Admin;

    public bool IsKey => Role is null;

    /// <summary>Null when the actor holds <paramref name="right"/>; otherwise the 403 naming it (<paramref name="action"/> says what was refused).</summary>
    public OperationError? Lacks(OrganizationRight right, string action)
    {
        if (Role is { } role)
            return role.Grants(right) ? null : OperationError.MissingRight(right.Name(), $"A{Article(role)} {role.Name()} cannot {action}.");
        return KeyEquivalent.Grants(right)
            ? null
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
            return new OrganizationActor((OrganizationRole?)null);
        }
        var role = await db.OrganizationMembers
            .Where(m => m.OrganizationId == caller.OrganizationId && m.UserId == caller.ActorId)
            .Select(m => (OrganizationRole?)m.Role)
            .SingleOrDefaultAsync(ct);
        return role is null
            ? OperationError.Unauthenticated("organization_membership_ended", "You no longer belong to this organization.")
            : new OrganizationActor(role);
    }

    private static string Article(OrganizationRole role) => role is OrganizationRole.Owner or OrganizationRole.Admin ? "n" : "";
}

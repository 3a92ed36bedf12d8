using Backside.Core.Common;
using Backside.Core.Data;
using Backside.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Backside.Core.Organizations;

/// <summary>
/// Which organization a session acts in: the one the person names, if they belong to it; otherwise the one they last
/// chose (<see cref="ApplicationUser.LastOrganizationId"/>) while they still belong to it; otherwise their oldest
/// membership (their personal organization, made if the account lacks one).
/// </summary>
public static class ActiveOrganization
{
    /// <summary>
    /// The one answer for an organization id that is unknown, malformed or not the person's: the same words for each, so
    /// the answer never tells whether an organization exists.
    /// </summary>
    public const string NotAMemberMessage = "organization_id is not an organization you belong to.";

    /// <summary>The organization to act in when the person names none.</summary>
    public static async Task<Membership> DefaultMembershipAsync(this OrganizationService organizations, ApplicationUser user, CancellationToken ct = default)
    {
        if (user.LastOrganizationId is { } last && await organizations.FindMembershipAsync(user.Id, last, ct) is { } chosen)
            return chosen;
        return await organizations.FindMembershipAsync(user.Id, ct) ?? await organizations.EnsurePersonalOrganizationAsync(user, ct);
    }

    /// <summary>
    /// The membership of <paramref name="organizationId"/> when given (null when the person does not belong to it), else
    /// <see cref="DefaultMembershipAsync"/>.
    /// </summary>
    public static async Task<Membership?> ChooseMembershipAsync(
        this OrganizationService organizations, ApplicationUser user, string? organizationId, CancellationToken ct = default)
    {
        if (organizationId is null)
            return await organizations.DefaultMembershipAsync(user, ct);
        if (!EntityId.HasShape(organizationId, EntityId.OrganizationPrefix))
            return null;
        return await organizations.FindMembershipAsync(user.Id, organizationId, ct);
    }

    /// <summary>Remembers the person's choice, so a browser or login that names none acts there next time.</summary>
    public static Task RememberAsync(BacksideDbContext db, string userId, string organizationId, CancellationToken ct = default) =>
        db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(set => set.SetProperty(u => u.LastOrganizationId, organizationId), ct);
}

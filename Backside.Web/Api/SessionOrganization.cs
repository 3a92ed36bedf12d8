using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Backside.Core.Organizations;

namespace Backside.Web.Api;

/// <summary>The organization an API session acts in, as sign-in and refresh answer it.</summary>
public sealed record SessionOrganization(
    [property: Description("The organization's id (`org_…`).")] string Id,
    string Name,
    [property: AllowedValues("owner", "admin", "developer", "viewer"), Description("The person's role there when the tokens were issued.")]
    string Role)
{
    /// <summary>An organization id is <c>org_</c> and 32 hex digits; anything longer is refused before a lookup.</summary>
    public const int MaxIdLength = 64;

    public static SessionOrganization From(Membership membership) =>
        new(membership.OrganizationId, membership.OrganizationName, membership.Role.Name());
}

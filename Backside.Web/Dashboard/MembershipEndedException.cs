namespace Backside.Web.Dashboard;

/// <summary>
/// The person no longer belongs to the organization this circuit acts in (removed, or left in another tab). Thrown by
/// <see cref="DashboardCaller.GetAsync"/> rather than moving them to another organization mid-page; the layout's error
/// boundary shows the notice and offers their other organization.
/// </summary>
public sealed class MembershipEndedException(string organizationId, string organizationName)
    : Exception($"You no longer belong to {organizationName}.")
{
    public string OrganizationId { get; } = organizationId;
    public string OrganizationName { get; } = organizationName;
}

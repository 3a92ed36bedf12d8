namespace Backside.Core.Organizations;

/// <summary>An organization as its settings page and <c>GET /organization</c> show it: the row, its plan's values, and the caller's role (null for a key).</summary>
public sealed record OrganizationDetails(Organization Organization, PlanOptions Plan, OrganizationRole? CallerRole);

namespace Backside.Core.Organizations;

/// <summary>One row of the operators' organization list.</summary>
public sealed record PlatformOrganization(
    string Id, string Name, OrganizationKind Kind, string Plan, DateTimeOffset CreatedAt, int Members, int ActiveKeys);

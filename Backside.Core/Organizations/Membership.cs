namespace Backside.Core.Organizations;

public sealed record Membership(string OrganizationId, string OrganizationName, OrganizationRole Role);

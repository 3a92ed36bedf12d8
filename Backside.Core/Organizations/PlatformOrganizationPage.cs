namespace Backside.Core.Organizations;

/// <summary>A page of the operators' organization list, with how many match in all.</summary>
public sealed record PlatformOrganizationPage(IReadOnlyList<PlatformOrganization> Items, int Total);

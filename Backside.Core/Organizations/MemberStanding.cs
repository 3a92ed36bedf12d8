namespace Backside.Core.Organizations;

/// <summary>
/// What a request authenticated by an access token re-reads about its person: their role in the token's organization
/// now, and their account's security stamp now.
/// </summary>
public sealed record MemberStanding(OrganizationRole Role, string? SecurityStamp);

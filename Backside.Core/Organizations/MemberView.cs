namespace Backside.Core.Organizations;

/// <summary>One member of an organization as lists show them.</summary>
public sealed record MemberView(string UserId, string Email, OrganizationRole Role, DateTimeOffset JoinedAt);

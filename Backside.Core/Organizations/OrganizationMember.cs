namespace Backside.Core.Organizations;

public enum OrganizationRole
{
    Owner,
    Admin,
    Member,
}

public sealed class OrganizationMember
{
    public required string OrganizationId { get; init; }
    public required string UserId { get; init; }
    public OrganizationRole Role { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}

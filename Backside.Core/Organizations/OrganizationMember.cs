namespace Backside.Core.Organizations;

public sealed class OrganizationMember
{
    public required string OrganizationId { get; init; }
    public required string UserId { get; init; }
    public OrganizationRole Role { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}

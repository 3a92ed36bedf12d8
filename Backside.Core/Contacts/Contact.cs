using Backside.Core.Common;

namespace Backside.Core.Contacts;

/// <summary>The sample business resource the scopes protect: one organization's address book, per live/test mode.</summary>
public sealed class Contact : IHasEntityId
{
    public const int MaxNameLength = 200;
    public const int MaxEmailLength = 254;
    public const int MaxPhoneLength = 32;
    public const int MaxCompanyLength = 200;

    public required string Id { get; init; }
    public required string OrganizationId { get; init; }
    public bool Livemode { get; init; }
    public required string Name { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? Company { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}

using Backside.Core.Common;

namespace Backside.Core.Organizations;

/// <summary>
/// An emailed offer to join an organization with a role. The link carries a secret token; only its hash is stored.
/// It works once, for 7 days, and only for the account whose email it was sent to.
/// </summary>
public sealed class Invitation : IHasEntityId
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    public required string Id { get; init; }
    public required string OrganizationId { get; init; }

    /// <summary>The invited address, as typed; <see cref="NormalizedEmail"/> is what matching uses.</summary>
    public required string Email { get; init; }
    public required string NormalizedEmail { get; init; }
    public OrganizationRole Role { get; set; }

    /// <summary>SHA-256 of the token in the link.</summary>
    public required byte[] TokenHash { get; set; }
    public required string InvitedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the link stops working; a resend gives a new token and a new expiry.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset LastSentAt { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public string? AcceptedBy { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public bool IsPending(DateTimeOffset now) => AcceptedAt is null && RevokedAt is null && ExpiresAt > now;
}

using Backside.Core.Common;

namespace Backside.Core.Identity;

/// <summary>
/// An API session's refresh token, stored as its SHA-256 only. Every use replaces it with a new token of the same
/// family; presenting a used token again means it was stolen, and the whole family is revoked. A family is one
/// session: it acts in one organization and ends at the latest <see cref="RefreshTokenOptions.FamilyLifetime"/> after
/// its login, however often it is refreshed.
/// </summary>
public sealed class RefreshToken : IHasEntityId
{
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public required string FamilyId { get; init; }
    public required byte[] TokenHash { get; init; }

    /// <summary>The organization the session acts in; null for sessions begun before it was recorded.</summary>
    public string? OrganizationId { get; init; }

    /// <summary>
    /// The account's security stamp when the password was checked at login; every successor carries it on. A
    /// security change (which changes the stamp) ends the family even if a refresh raced the change.
    /// </summary>
    public string? SecurityStamp { get; init; }

    /// <summary>When the family's login happened; every successor carries it on.</summary>
    public DateTimeOffset FamilyStartedAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? UsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

namespace Backside.Core.Organizations;

/// <summary>
/// The invitation mail's facts. <see cref="Token"/> is the raw link secret: it goes into the message and nowhere else
/// (never a log, never a description).
/// </summary>
public sealed record InvitationMail(
    string To, string OrganizationName, string? InvitedByEmail, OrganizationRole Role, string Token, DateTimeOffset ExpiresAt)
{
    /// <summary>The record without its secret, should anything ever print it.</summary>
    public override string ToString() => $"InvitationMail {{ Role = {Role}, ExpiresAt = {ExpiresAt:O} }}";
}

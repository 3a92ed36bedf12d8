namespace Backside.Core.Organizations;

/// <summary>
/// What the accept page shows to whoever holds a link's token: which organization, which role, who sent it, and
/// whether it can still be accepted. <see cref="NormalizedEmail"/> is for comparing with the signed-in account, and
/// <see cref="Email"/> only for filling in the register form of someone who arrived through the link; pages show
/// <see cref="MaskedEmail"/>.
/// </summary>
public sealed record InvitationPreview(
    string InvitationId,
    string OrganizationId,
    string OrganizationName,
    OrganizationRole Role,
    string? InvitedByEmail,
    string Email,
    string NormalizedEmail,
    string MaskedEmail,
    DateTimeOffset ExpiresAt,
    bool Expired)
{
    /// <summary>An address as a page may show it to someone who may not be its owner: <c>j***@example.com</c>.</summary>
    public static string Mask(string email)
    {
        var at = email.LastIndexOf('@');
        if (at <= 0)
            return "***";
        return $"{email[0]}***{email[at..]}";
    }
}

namespace Backside.Web.Authentication.Jwt;

/// <summary>
/// Why a well-signed, current access token was refused after its claims were checked against the database: carried
/// through <c>TokenValidatedContext.Fail</c> to the JWT challenge, which answers it as problem+json.
/// </summary>
public sealed class AccessTokenRefusedException(string code, string title, string detail) : Exception(detail)
{
    public string Code { get; } = code;
    public string Title { get; } = title;

    public static AccessTokenRefusedException MembershipEnded() => new("organization_membership_ended", "Organization membership ended",
        "You no longer belong to the organization this access token acts in. Sign in again (to another organization).");

    public static AccessTokenRefusedException SessionEnded() => new("session_ended", "Session ended",
        "A security change to the account since this access token was issued (a new password, two-factor, recovery codes or a lockout) ended it. Sign in again.");
}

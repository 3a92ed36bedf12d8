namespace Backside.Core.Audit;

public static class AuditActions
{
    public const string ApiKeyCreated = "api_key.created";
    public const string ApiKeyUpdated = "api_key.updated";
    public const string ApiKeyRotated = "api_key.rotated";
    public const string ApiKeyDeactivated = "api_key.deactivated";
    public const string ApiKeyActivated = "api_key.activated";
    public const string ApiKeyRevoked = "api_key.revoked";

    public const string OrganizationCreated = "organization.created";
    public const string OrganizationUpdated = "organization.updated";
    public const string OrganizationPlanChanged = "organization.plan_changed";
    public const string OrganizationDeleted = "organization.deleted";
    public const string MemberAdded = "member.added";
    public const string MemberRoleChanged = "member.role_changed";
    public const string MemberRemoved = "member.removed";
    public const string MemberLeft = "member.left";
    public const string OwnershipTransferred = "organization.ownership_transferred";
    public const string InvitationCreated = "invitation.created";
    public const string InvitationResent = "invitation.resent";
    public const string InvitationRevoked = "invitation.revoked";
    public const string InvitationAccepted = "invitation.accepted";

    // Security events: written to the person's personal organization (SecurityEvents says why).
    public const string SignedIn = "account.signed_in";
    public const string SignInFailed = "account.sign_in_failed";
    public const string TwoFactorEnabled = "account.two_factor_enabled";
    public const string TwoFactorDisabled = "account.two_factor_disabled";
    public const string AuthenticatorReset = "account.authenticator_reset";
    public const string RecoveryCodesGenerated = "account.recovery_codes_generated";
    public const string PasswordChanged = "account.password_changed";
    public const string PasswordReset = "account.password_reset";

    /// <summary>Every action, in the order the audit log's filter offers them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        ApiKeyCreated, ApiKeyUpdated, ApiKeyRotated, ApiKeyDeactivated, ApiKeyActivated, ApiKeyRevoked,
        OrganizationCreated, OrganizationUpdated, OrganizationPlanChanged, OrganizationDeleted, OwnershipTransferred,
        MemberAdded, MemberRoleChanged, MemberRemoved, MemberLeft,
        InvitationCreated, InvitationResent, InvitationRevoked, InvitationAccepted,
        SignedIn, SignInFailed, TwoFactorEnabled, TwoFactorDisabled, AuthenticatorReset, RecoveryCodesGenerated,
        PasswordChanged, PasswordReset,
    ];
}

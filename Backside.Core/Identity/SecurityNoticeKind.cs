namespace Backside.Core.Identity;

public enum SecurityNoticeKind
{
    TwoFactorEnabled,
    TwoFactorDisabled,
    PasswordChanged,
    LiveApiKeyCreated,

    /// <summary>Someone tried to register a new account with the address of an existing one.</summary>
    RegistrationAttempted,
}

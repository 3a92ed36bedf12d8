namespace Backside.Core.Identity;

public enum SecurityNoticeKind
{
    TwoFactorEnabled,
    TwoFactorDisabled,
    PasswordChanged,
    LiveApiKeyCreated,
}

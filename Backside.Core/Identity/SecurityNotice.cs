using Backside.Core.ApiKeys;

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

/// <summary>
/// A security change worth telling the people it affects about: what happened and from which address. It never
/// carries a secret; for a key, only its name and display hint.
/// </summary>
public sealed record SecurityNotice(SecurityNoticeKind Kind, string? IpAddress)
{
    public string? ApiKeyName { get; init; }
    public string? ApiKeyHint { get; init; }

    public static SecurityNotice LiveApiKeyCreated(ApiKey key, Caller caller) =>
        new(SecurityNoticeKind.LiveApiKeyCreated, caller.Client?.IpAddress) { ApiKeyName = key.Name, ApiKeyHint = key.Hint };
}

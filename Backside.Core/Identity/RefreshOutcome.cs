namespace Backside.Core.Identity;

public enum RefreshOutcome
{
    Rotated,
    Invalid,
    Expired,

    /// <summary>The token was used before, or its session was already ended (logout, theft, a security change).</summary>
    Reused,

    /// <summary>The family reached its maximum lifetime from login.</summary>
    SessionExpired,
    AccountNotFound,
    LockedOut,

    /// <summary>The user no longer belongs to the organization the session acts in.</summary>
    NotAMember,

    /// <summary>A security change to the account (password, two-factor, recovery codes, lockout) since the login.</summary>
    SessionEnded,
}

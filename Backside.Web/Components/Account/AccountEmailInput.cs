namespace Backside.Web.Components.Account;

/// <summary>
/// The email a person types on an account page, in the one form every page uses: trimmed, so a leading space names
/// the same account for the lookup, the throttle and the lockout, and capped, so a made-up megabyte is refused by
/// validation before it reaches either.
/// </summary>
public static class AccountEmailInput
{
    /// <summary>The longest address a mailbox can have (RFC 5321 allows 254; a little room for what people paste).</summary>
    public const int MaxLength = 256;

    public const string TooLong = "The email must be at most 256 characters long.";

    public static string Trim(string? typed) => typed?.Trim() ?? "";
}

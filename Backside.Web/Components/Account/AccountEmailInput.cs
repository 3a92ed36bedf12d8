using Backside.Core.Identity;

namespace Backside.Web.Components.Account;

/// <summary>
/// The email a person types on an account page, in the one form every page uses: trimmed, so a leading space names
/// the same account for the lookup, the throttle and the lockout, and capped, so a made-up megabyte is refused by
/// validation before it reaches either.
/// </summary>
public static class AccountEmailInput
{
    /// <summary>Core's rule (<see cref="EmailRules.MaxLength"/>), for the pages' validation attributes.</summary>
    public const int MaxLength = EmailRules.MaxLength;

    public const string TooLong = "The email must be at most 256 characters long.";

    public static string Trim(string? typed) => typed?.Trim() ?? "";
}

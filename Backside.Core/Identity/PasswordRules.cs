using Microsoft.AspNetCore.Identity;

namespace Backside.Core.Identity;

/// <summary>
/// NIST SP 800-63B: length is what makes a password strong, so at least 12 characters and no composition rules
/// (no required digits, cases or symbols), and room for long passphrases.
/// </summary>
public static class PasswordRules
{
    public const int MinimumLength = 12;
    public const int MaximumLength = 128;

    public static void Apply(PasswordOptions options)
    {
        options.RequiredLength = MinimumLength;
        options.RequireDigit = false;
        options.RequireLowercase = false;
        options.RequireUppercase = false;
        options.RequireNonAlphanumeric = false;
        options.RequiredUniqueChars = 1;
    }
}

using System.Net.Mail;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;

namespace Backside.Core.Identity;

/// <summary>
/// What an email may be, and the one form every table keyed by an email uses: the email as Identity looks it up
/// (trimmed, then Identity's <see cref="UpperInvariantLookupNormalizer"/>, which also folds Unicode forms such as the Kelvin
/// sign), hashed, so an attacker's spelling cannot make one account two and the tables hold no emails.
/// </summary>
public static class EmailRules
{
    /// <summary>The longest email accepted anywhere (RFC 5321 allows 254; Identity's column is 256).</summary>
    public const int MaxLength = 256;

    public static bool IsTooLong(string? email) => email is not null && email.Trim().Length > MaxLength;

    /// <summary>One address (<c>ada@example.com</c>), as typed and trimmed: no display name, no list, no comments.</summary>
    public static bool IsWellFormed(string? email) =>
        email is not null && email.Contains('@') && MailAddress.TryCreate(email, out var address) && address.Address == email
        && address.DisplayName.Length == 0;

    /// <summary>
    /// Identity's own normalizer, the one it is registered with (a test holds the two together). Stateless, so the
    /// singletons that key by email share it rather than take the scoped service.
    /// </summary>
    public static readonly ILookupNormalizer Normalizer = new UpperInvariantLookupNormalizer();

    /// <summary>A fixed-size key for in-memory tables: SHA-256 of the normalized email, in hex.</summary>
    public static string Key(string email) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Normalizer.NormalizeEmail(email.Trim()) ?? "")));
}

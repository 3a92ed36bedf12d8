using System.ComponentModel.DataAnnotations;

namespace Backside.Web.Authentication.Jwt;

/// <summary>API sessions (<c>/api/v1/auth/login</c>), bound from the <c>Jwt</c> section.</summary>
public sealed class JwtOptions : IValidatableObject
{
    public const string SectionName = "Jwt";

    public string Issuer { get; set; } = "backside";
    public string Audience { get; set; } = "backside-api";

    /// <summary>
    /// Base64 HMAC-SHA256 key of at least 32 bytes; several instances must share it. When empty, a key is generated
    /// on first run and stored in the database, encrypted with the Data Protection key ring.
    /// </summary>
    public string? SigningKey { get; set; }

    [Range(1, 60)]
    public int AccessTokenMinutes { get; set; } = 15;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrEmpty(SigningKey))
            yield break;
        var bytes = new byte[SigningKey.Length];
        if (!Convert.TryFromBase64String(SigningKey, bytes, out var length) || length < 32)
            yield return new ValidationResult("Jwt:SigningKey must be base64 of at least 32 random bytes (openssl rand -base64 32).");
    }
}

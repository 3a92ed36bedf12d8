using System.ComponentModel.DataAnnotations;

namespace Backside.Web.Audit;

/// <summary>The audit chain's key, bound from the <c>Audit</c> section.</summary>
public sealed class AuditOptions : IValidatableObject
{
    public const string SectionName = "Audit";

    /// <summary>
    /// Base64 HMAC-SHA256 key of at least 32 bytes that audit event hashes are keyed with; several instances must
    /// share it, and it must never change. When empty, a key is generated on first run and stored in the database,
    /// encrypted with the Data Protection key ring.
    /// </summary>
    public string? HmacKey { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrEmpty(HmacKey))
            yield break;
        var bytes = new byte[HmacKey.Length];
        if (!Convert.TryFromBase64String(HmacKey, bytes, out var length) || length < 32)
            yield return new ValidationResult("Audit:HmacKey must be base64 of at least 32 random bytes (openssl rand -base64 32).", [nameof(HmacKey)]);
    }
}

using System.ComponentModel.DataAnnotations;

namespace Backside.Core.Identity;

/// <summary>How long API sessions last, bound from the <c>Jwt</c> section beside the access-token settings.</summary>
public sealed class RefreshTokenOptions : IValidatableObject
{
    public const string SectionName = "Jwt";

    /// <summary>How long one refresh token may wait to be used; each use issues a successor with a fresh term.</summary>
    [Range(1, 90)]
    public int RefreshTokenDays { get; set; } = 7;

    /// <summary>The most a session (a family of refresh tokens) lives from its login, however often it is refreshed.</summary>
    [Range(1, 365)]
    public int RefreshFamilyLifetimeDays { get; set; } = 30;

    public TimeSpan TokenLifetime => TimeSpan.FromDays(RefreshTokenDays);

    public TimeSpan FamilyLifetime => TimeSpan.FromDays(RefreshFamilyLifetimeDays);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RefreshFamilyLifetimeDays < RefreshTokenDays)
            yield return new ValidationResult(
                "Jwt:RefreshFamilyLifetimeDays must be at least Jwt:RefreshTokenDays: a session cannot end before its first token.",
                [nameof(RefreshFamilyLifetimeDays)]);
    }
}

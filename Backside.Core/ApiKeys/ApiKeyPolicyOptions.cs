using System.ComponentModel.DataAnnotations;

namespace Backside.Core.ApiKeys;

/// <summary>
/// Platform-wide key settings, bound from the <c>ApiKeys</c> section. The rotation reminder is an organization's own
/// policy now (<see cref="OrganizationKeyPolicy"/>), not configuration.
/// </summary>
public sealed class ApiKeyPolicyOptions
{
    public const string SectionName = "ApiKeys";

    /// <summary>Requests per minute for keys that do not set their own limit.</summary>
    [Range(1, ApiKeyLimits.MaxRateLimitPerMinute)]
    public int DefaultRateLimitPerMinute { get; set; } = 600;

    /// <summary>How far ahead the dashboard warns that a key will expire.</summary>
    [Range(0, 365)]
    public int ExpiryWarningDays { get; set; } = 7;

    /// <summary>The key still works but expires within the warning period.</summary>
    public bool IsExpiringSoon(ApiKey key, DateTimeOffset now) =>
        key.EffectiveStatus(now) == ApiKeyStatus.Active && key.ExpiresAt - now <= TimeSpan.FromDays(ExpiryWarningDays);
}

using System.ComponentModel.DataAnnotations;

namespace Backside.Core.ApiKeys;

/// <summary>
/// Platform-wide key settings, bound from the <c>ApiKeys</c> section. Rate limits come from the organization's plan
/// (<c>Plans</c>) and the rotation reminder is the organization's own policy (<see cref="OrganizationKeyPolicy"/>).
/// </summary>
public sealed class ApiKeyPolicyOptions
{
    public const string SectionName = "ApiKeys";

    /// <summary>How far ahead the dashboard warns that a key will expire.</summary>
    [Range(0, 365)]
    public int ExpiryWarningDays { get; set; } = 7;

    /// <summary>The key still works but expires within the warning period.</summary>
    public bool IsExpiringSoon(ApiKey key, DateTimeOffset now) =>
        key.EffectiveStatus(now) == ApiKeyStatus.Active && key.ExpiresAt - now <= TimeSpan.FromDays(ExpiryWarningDays);
}

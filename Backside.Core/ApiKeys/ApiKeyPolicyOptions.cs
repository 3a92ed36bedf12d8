using System.ComponentModel.DataAnnotations;

namespace Backside.Core.ApiKeys;

/// <summary>Platform-wide key policy, bound from the <c>ApiKeys</c> section (rate limits come from the organization's plan, <c>Plans</c>).</summary>
public sealed class ApiKeyPolicyOptions
{
    public const string SectionName = "ApiKeys";

    /// <summary>Keys whose secret is older than this carry a "rotate me" badge.</summary>
    [Range(1, 3650)]
    public int RotationPolicyDays { get; set; } = 90;

    /// <summary>How far ahead the dashboard warns that a key will expire.</summary>
    [Range(0, 365)]
    public int ExpiryWarningDays { get; set; } = 7;

    /// <summary>The secret is older than the rotation policy: the key should be rotated.</summary>
    public bool IsRotationDue(ApiKey key, DateTimeOffset now) =>
        key.Status != ApiKeyStatus.Revoked && now - key.SecretCreatedAt >= TimeSpan.FromDays(RotationPolicyDays);

    /// <summary>The key still works but expires within the warning period.</summary>
    public bool IsExpiringSoon(ApiKey key, DateTimeOffset now) =>
        key.EffectiveStatus(now) == ApiKeyStatus.Active && key.ExpiresAt - now <= TimeSpan.FromDays(ExpiryWarningDays);
}

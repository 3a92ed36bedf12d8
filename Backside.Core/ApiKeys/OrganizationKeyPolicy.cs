using System.Globalization;
using Backside.Core.Organizations;

namespace Backside.Core.ApiKeys;

/// <summary>
/// An organization's key policies as the key rules apply them (set under Settings > Organization): the longest a live
/// key may live, when a secret is due for rotation, and whether people need two-factor sign-in to manage keys.
/// </summary>
public sealed record OrganizationKeyPolicy(int? MaxLiveKeyLifetimeDays, int RotationReminderDays, bool RequireTwoFactorForKeys)
{
    /// <summary>What a new organization starts with: no lifetime limit, a reminder after 90 days, no two-factor rule.</summary>
    public static OrganizationKeyPolicy Default { get; } = new(null, Organization.DefaultRotationReminderDays, false);

    public static OrganizationKeyPolicy Of(Organization organization) =>
        new(organization.MaxLiveKeyLifetimeDays, organization.RotationReminderDays, organization.RequireTwoFactorForKeys);

    /// <summary>The secret is older than the organization's rotation reminder: the key should be rotated.</summary>
    public bool IsRotationDue(ApiKey key, DateTimeOffset now) =>
        key.Status != ApiKeyStatus.Revoked && now - key.SecretCreatedAt >= TimeSpan.FromDays(RotationReminderDays);

    /// <summary>
    /// Why <paramref name="expiresAt"/> breaks the maximum lifetime of live keys, or null when it does not. Test keys
    /// are exempt: they reach no live data.
    /// </summary>
    public string? RefuseExpiry(bool livemode, DateTimeOffset? expiresAt, DateTimeOffset now)
    {
        if (!livemode || MaxLiveKeyLifetimeDays is not { } days)
            return null;
        var latest = now.AddDays(days);
        var rule = $"This organization's policy requires live keys to expire within {days} days";
        if (expiresAt is null)
            return $"{rule}: set expires_at, no later than {Iso(latest)}.";
        return expiresAt > latest ? $"{rule}: expires_at must be no later than {Iso(latest)}." : null;
    }

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

using System.Net;
using System.Text.Json.Serialization;

namespace Backside.Core.ApiKeys;

/// <summary>
/// What the authentication handler needs to know about a key: an immutable snapshot, safe to cache. Its stored
/// members are plain values, so a shared cache can serialize it; the parsed forms are built once per instance. It
/// carries its organization's plan limits too, so the rate limit needs no other read; a plan change invalidates the
/// organization's entries (<see cref="OrganizationKeyCache"/>).
/// </summary>
[System.ComponentModel.ImmutableObject(true)]
public sealed record ApiKeyCredential(
    string Id,
    string OrganizationId,
    bool Livemode,
    IReadOnlyList<string>? ScopeValues,
    ApiKeyStatus Status,
    DateTimeOffset? ExpiresAt,
    int? RateLimitPerMinute,
    IReadOnlyList<string> AllowedIps,
    IReadOnlyList<string> AllowedReferrers,
    byte[] SecretHash,
    DateTimeOffset? SecretExpiresAt,
    string Plan,
    int PlanDefaultRateLimitPerMinute,
    int PlanMaxRateLimitPerMinute)
{
    /// <summary>The limit the key works under, from its own and its organization's plan's (as read with the key).</summary>
    [JsonIgnore]
    public EffectiveRateLimit RateLimit { get; } =
        EffectiveRateLimit.Of(RateLimitPerMinute, Plan, PlanDefaultRateLimitPerMinute, PlanMaxRateLimitPerMinute);

    [JsonIgnore]
    public ScopeSet Scopes { get; } = ScopeSet.FromStored(ScopeValues);

    [JsonIgnore]
    public IReadOnlyList<IPNetwork> AllowedNetworks { get; } = ApiKeyRestrictions.ParseNetworks(AllowedIps);

    public ApiKeyStatus EffectiveStatus(DateTimeOffset now) => ApiKey.EffectiveStatus(Status, ExpiresAt, now);

    /// <summary>False for the old secret of a rotated key once its grace window has passed.</summary>
    public bool IsSecretCurrent(DateTimeOffset now) => SecretExpiresAt is null || now < SecretExpiresAt;
}

using System.Net;

namespace Backside.Core.ApiKeys;

/// <summary>
/// Everything a key lets its holder do: its scopes, its mode, how long it lives, where it may be used from and how
/// fast. The privilege rule is stated on this type: a key may create or change only keys whose power its own covers.
/// </summary>
public sealed record ApiKeyPower(
    ScopeSet Scopes,
    bool Livemode,
    DateTimeOffset? ExpiresAt,
    IReadOnlyList<IPNetwork> AllowedNetworks,
    IReadOnlyList<string> AllowedReferrers,
    int RateLimitPerMinute)
{
    public static ApiKeyPower Of(ApiKey key, int defaultRateLimitPerMinute) =>
        new(ScopeSet.FromStored(key.Scopes), key.Livemode, key.ExpiresAt, ApiKeyRestrictions.ParseNetworks(key.AllowedIps),
            key.AllowedReferrers, key.RateLimitPerMinute ?? defaultRateLimitPerMinute);

    /// <summary>
    /// Whether every request a key with power <paramref name="other"/> could make, a key with this power could make
    /// too; if not, the first dimension in which <paramref name="other"/> reaches further.
    /// </summary>
    public Coverage Covers(ApiKeyPower other)
    {
        if (Scopes.FirstNotCovered(other.Scopes) is { } scope)
            return Coverage.Deny(PowerDimensions.Scopes, $"This key cannot grant {scope}: a key can only grant scopes it holds itself.");
        if (other.Livemode != Livemode)
            return Coverage.Deny(PowerDimensions.Environment, $"A {Mode(Livemode)} key can only manage {Mode(Livemode)} keys.");
        if (ExpiresAt is { } limit && (other.ExpiresAt is null || other.ExpiresAt > limit))
            return Coverage.Deny(PowerDimensions.ExpiresAt, $"This key expires at {limit:O}; keys it manages must expire no later than that.");
        if (!CoversNetworks(other.AllowedNetworks))
            return Coverage.Deny(PowerDimensions.AllowedIps, "This key is restricted to some IP addresses; keys it manages must be restricted to addresses within them.");
        if (!CoversReferrers(other.AllowedReferrers))
            return Coverage.Deny(PowerDimensions.AllowedReferrers, "This key is restricted to some referrers; keys it manages must be restricted to hosts within them.");
        if (other.RateLimitPerMinute > RateLimitPerMinute)
            return Coverage.Deny(PowerDimensions.RateLimitPerMinute, $"This key may make {RateLimitPerMinute} requests a minute; keys it manages may make no more.");
        return Coverage.Covered;
    }

    /// <summary>An unrestricted key covers any list; a restricted one only lists whose every block lies inside one of its own.</summary>
    private bool CoversNetworks(IReadOnlyList<IPNetwork> others)
    {
        if (AllowedNetworks.Count == 0)
            return true;
        return others.Count > 0 && others.All(inner => AllowedNetworks.Any(outer => Contains(outer, inner)));
    }

    private bool CoversReferrers(IReadOnlyList<string> others)
    {
        if (AllowedReferrers.Count == 0)
            return true;
        return others.Count > 0 && others.All(inner => AllowedReferrers.Any(outer => Contains(outer, inner)));
    }

    private static bool Contains(IPNetwork outer, IPNetwork inner) =>
        outer.BaseAddress.AddressFamily == inner.BaseAddress.AddressFamily
        && inner.PrefixLength >= outer.PrefixLength
        && outer.Contains(inner.BaseAddress);

    /// <summary>
    /// Whether every host <paramref name="inner"/> matches is matched by <paramref name="outer"/>: a host by itself or
    /// by a <c>*.</c> pattern of a parent domain; a <c>*.</c> pattern only by one of the same or a parent domain
    /// (<c>*.example.com</c> matches subdomains only, so it does not cover <c>example.com</c> itself).
    /// </summary>
    private static bool Contains(string outer, string inner)
    {
        if (outer == inner)
            return true;
        if (!outer.StartsWith("*.", StringComparison.Ordinal))
            return false;
        var suffix = outer[1..]; // ".example.com"
        var host = inner.StartsWith("*.", StringComparison.Ordinal) ? inner[1..] : inner;
        return host.EndsWith(suffix, StringComparison.Ordinal) && host.Length > suffix.Length;
    }

    private static string Mode(bool livemode) => livemode ? ApiKeyEnvironments.Live : ApiKeyEnvironments.Test;
}

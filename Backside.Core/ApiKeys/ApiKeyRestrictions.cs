using System.Net;
using System.Text.RegularExpressions;
using Backside.Core.Common;

namespace Backside.Core.ApiKeys;

/// <summary>Parsing and matching of a key's IP and referrer allowlists.</summary>
public static partial class ApiKeyRestrictions
{
    /// <summary>Normalizes CIDR blocks (a bare address becomes /32 or /128) and records each bad entry under its index.</summary>
    public static List<string> NormalizeIps(ValidationErrors errors, IReadOnlyList<string>? values)
    {
        var normalized = new List<string>();
        if (values is null)
            return normalized;
        // The length first: a list too long is one error, not one per entry.
        if (values.Count > ApiKeyLimits.MaxAllowedIps)
        {
            errors.Add("allowed_ips", $"allowed_ips may hold at most {ApiKeyLimits.MaxAllowedIps} entries.");
            return normalized;
        }
        for (var i = 0; i < values.Count; i++)
        {
            if (TryParseNetwork(values[i], out var network))
                normalized.Add(AsIPv4IfMapped(network).ToString());
            else
                errors.Add($"allowed_ips[{i}]", $"{ValidationErrors.Quote(values[i])} is not an IP address or CIDR block such as 203.0.113.0/24 or 2001:db8::/32 (host bits must be zero).");
        }
        return normalized.Distinct().ToList();
    }

    /// <summary>Normalizes host patterns to lower case and records each bad entry under its index.</summary>
    public static List<string> NormalizeReferrers(ValidationErrors errors, IReadOnlyList<string>? values)
    {
        var normalized = new List<string>();
        if (values is null)
            return normalized;
        if (values.Count > ApiKeyLimits.MaxAllowedReferrers)
        {
            errors.Add("allowed_referrers", $"allowed_referrers may hold at most {ApiKeyLimits.MaxAllowedReferrers} entries.");
            return normalized;
        }
        for (var i = 0; i < values.Count; i++)
        {
            var pattern = values[i]?.Trim().ToLowerInvariant();
            if (pattern is not null && HostPattern().IsMatch(pattern))
                normalized.Add(pattern);
            else
                errors.Add($"allowed_referrers[{i}]", $"{ValidationErrors.Quote(values[i])} is not a host pattern such as app.example.com or *.example.com.");
        }
        return normalized.Distinct().ToList();
    }

    public static IReadOnlyList<IPNetwork> ParseNetworks(IEnumerable<string> stored) =>
        stored.Select(s => IPNetwork.Parse(s)).ToArray();

    /// <summary>An empty list allows any address; otherwise the address must fall in one of the blocks.</summary>
    public static bool IsIpAllowed(IReadOnlyList<IPNetwork> networks, IPAddress? address)
    {
        if (networks.Count == 0)
            return true;
        if (address is null)
            return false;
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        foreach (var network in networks)
        {
            if (network.Contains(address))
                return true;
        }
        return false;
    }

    /// <summary>
    /// An empty list allows any request; otherwise the host of <c>Referer</c> (or <c>Origin</c>) must match a pattern:
    /// exactly, or as a subdomain of a <c>*.</c> pattern.
    /// </summary>
    public static bool IsReferrerAllowed(IReadOnlyList<string> patterns, string? referrer)
    {
        if (patterns.Count == 0)
            return true;
        if (!Uri.TryCreate(referrer, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            return false;
        var host = uri.IdnHost.ToLowerInvariant();
        foreach (var pattern in patterns)
        {
            if (pattern.StartsWith("*.", StringComparison.Ordinal)
                    ? host.EndsWith(pattern[1..], StringComparison.Ordinal)
                    : host == pattern)
                return true;
        }
        return false;
    }

    /// <summary>
    /// Requests from IPv4-mapped IPv6 addresses are matched as IPv4, so <c>::ffff:203.0.113.0/120</c> is stored as
    /// <c>203.0.113.0/24</c>; kept as written it could never match.
    /// </summary>
    private static IPNetwork AsIPv4IfMapped(IPNetwork network) =>
        network.BaseAddress.IsIPv4MappedToIPv6 && network.PrefixLength >= 96
            ? new IPNetwork(network.BaseAddress.MapToIPv4(), network.PrefixLength - 96)
            : network;

    private static bool TryParseNetwork(string? value, out IPNetwork network)
    {
        network = default;
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
            return false;
        if (!text.Contains('/') && IPAddress.TryParse(text, out var address))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }
        // Refuse "10.0.0.1/8": the host bits say the author meant something other than the whole /8.
        return IPNetwork.TryParse(text, out network)
            && IPAddress.TryParse(text[..text.IndexOf('/')], out var written)
            && written.Equals(network.BaseAddress);
    }

    [GeneratedRegex(@"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex HostPattern();
}

namespace Backside.Core.ApiKeys;

/// <summary>The names of a key's power dimensions, as the API spells the fields.</summary>
public static class PowerDimensions
{
    public const string Scopes = "scopes";
    public const string Environment = "environment";
    public const string ExpiresAt = "expires_at";
    public const string AllowedIps = "allowed_ips";
    public const string AllowedReferrers = "allowed_referrers";
    public const string RateLimitPerMinute = "rate_limit_per_minute";

    public static IReadOnlyList<string> All { get; } = [Scopes, Environment, ExpiresAt, AllowedIps, AllowedReferrers, RateLimitPerMinute];
}

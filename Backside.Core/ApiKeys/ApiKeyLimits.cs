namespace Backside.Core.ApiKeys;

public static class ApiKeyLimits
{
    public const int MaxRateLimitPerMinute = 1_000_000;
    public const int MaxGracePeriodSeconds = 86_400;
    public const int MaxAllowedIps = 100;
    public const int MaxAllowedReferrers = 100;
    public const int MaxScopes = 100;
}

using System.ComponentModel.DataAnnotations;
using Backside.Core.ApiKeys;

namespace Backside.Core.Organizations;

/// <summary>One account tier, bound from <c>Plans:&lt;name&gt;</c>.</summary>
public sealed class PlanOptions
{
    public const string DefaultPlanName = "Free";

    /// <summary>Requests per minute for a key that sets no limit of its own.</summary>
    [Range(1, ApiKeyLimits.MaxRateLimitPerMinute)]
    public int DefaultRateLimitPerMinute { get; set; } = 600;

    /// <summary>The highest limit a key of this plan may set.</summary>
    [Range(1, ApiKeyLimits.MaxRateLimitPerMinute)]
    public int MaxRateLimitPerMinute { get; set; } = 6000;

    /// <summary>How many keys may be active (not revoked) at once.</summary>
    [Range(1, 1_000_000)]
    public int MaxActiveKeys { get; set; } = 100;

    /// <summary>How many days of usage history are kept and shown.</summary>
    [Range(1, 3650)]
    public int UsageHistoryDays { get; set; } = 90;
}

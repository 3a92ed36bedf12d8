using System.ComponentModel.DataAnnotations;

namespace Backside.Web.RateLimiting;

/// <summary>
/// <c>RateLimits:*</c>: how instances share each key's budget through Redis (used only with <c>Redis:Configuration</c>).
/// The ranges keep the documented error bound (README "Rate limits across instances") true.
/// </summary>
public sealed class SharedRateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>
    /// The largest lease, as a fraction of the key's limit; a limit whose fraction is under 2 leases one at a time
    /// (exact). N instances may hold up to 2·N·fraction of a budget at once: keep it at most 0.025/N for ±5%.
    /// </summary>
    [Range(0.001, 0.05)]
    public double LeaseFraction { get; set; } = 0.005;

    /// <summary>How long leased units may be spent; older ones are dropped, so they cannot come back as a later burst.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:03")]
    public TimeSpan LeaseLifetime { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a request waits for Redis before its key falls back to this instance's own budget.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:05")]
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>After a Redis failure, how long the instance keeps its own budgets before asking Redis again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(1);
}

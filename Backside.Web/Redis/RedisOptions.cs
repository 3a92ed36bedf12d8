using System.ComponentModel.DataAnnotations;

namespace Backside.Web.Redis;

/// <summary>
/// <c>Redis:*</c>. With <see cref="Configuration"/> set, the instances share Redis (the credential cache's second
/// level, key-change announcements, rate-limit budgets); without it, each instance keeps them in its own memory.
/// </summary>
public sealed class RedisOptions
{
    public const string SectionName = "Redis";

    /// <summary>A StackExchange.Redis configuration string, such as <c>127.0.0.1:6379</c>; empty means no Redis.</summary>
    public string? Configuration { get; set; }

    /// <summary>Put before every key and channel name, so deployments (and test runs) can share one Redis.</summary>
    [Required, StringLength(64, MinimumLength = 1)]
    public string KeyPrefix { get; set; } = "backside:";

    /// <summary>
    /// How long a key change waits for every other instance to confirm it forgot the key, before it returns anyway.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:05")]
    public TimeSpan AnnouncementTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Configuration);
}

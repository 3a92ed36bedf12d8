using System.ComponentModel.DataAnnotations;

namespace Backside.Core.ApiKeys;

/// <summary>
/// What a well-formed key that matches nothing may cost, bound from <c>ApiKeys:UnknownKeys</c>. Anyone can mint such
/// keys (the checksum is public), so they are remembered briefly in a bounded cache, and each client address may
/// make only so many database lookups that find nothing.
/// </summary>
public sealed class UnknownApiKeyOptions
{
    public const string SectionName = "ApiKeys:UnknownKeys";

    /// <summary>How many unknown keys are remembered at most (about 250 bytes each).</summary>
    [Range(1, 10_000_000)]
    public int CacheEntries { get; set; } = 50_000;

    /// <summary>How long an unknown key is remembered: a repeat within it costs no lookup.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CacheLifetime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Lookups that find no key, per client address (IPv6 by /64) and window; then 429 until the window ends.</summary>
    [Range(1, 1_000_000)]
    public int LookupsPerAddress { get; set; } = 100;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

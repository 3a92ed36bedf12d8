using System.ComponentModel.DataAnnotations;

namespace Backside.Core.Usage;

public sealed class UsageOptions
{
    public const string SectionName = "Usage";

    /// <summary>How often in-memory usage is written to the database. Also written on graceful shutdown.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(5);
}

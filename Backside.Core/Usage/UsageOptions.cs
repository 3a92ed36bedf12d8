using System.ComponentModel.DataAnnotations;

namespace Backside.Core.Usage;

public sealed class UsageOptions
{
    public const string SectionName = "Usage";

    /// <summary>
    /// How often in-memory usage is written to the database; also written on graceful shutdown. A hard crash loses at
    /// most this much: a flush a second costs the hot path nothing measurable (it is a batch of a statement or two
    /// per key and hour, off the request path).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);
}

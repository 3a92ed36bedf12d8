namespace Backside.Core.Usage;

public sealed record UsagePoint(DateTimeOffset Start, UsageCounts Counts);

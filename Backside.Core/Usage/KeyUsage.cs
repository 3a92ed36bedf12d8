namespace Backside.Core.Usage;

public sealed record KeyUsage(string ApiKeyId, UsageGranularity Granularity, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<UsagePoint> Points, UsageCounts Totals);

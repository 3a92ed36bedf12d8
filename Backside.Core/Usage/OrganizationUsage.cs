namespace Backside.Core.Usage;

/// <summary>
/// Keyed requests by key and per period (<see cref="Points"/>, every period present, zeros included), and the
/// requests paid with x402 (count and USDC atomic units) in the same range. <see cref="Environment"/> is live, test,
/// or null for both.
/// </summary>
public sealed record OrganizationUsage(
    DateTimeOffset From, DateTimeOffset To, UsageCounts Totals, IReadOnlyList<KeyTotal> TopKeys, long PaidRequests = 0, long PaidAmount = 0)
{
    public UsageGranularity Granularity { get; init; } = UsageGranularity.Day;

    public string? Environment { get; init; }

    public IReadOnlyList<UsagePoint> Points { get; init; } = [];
}

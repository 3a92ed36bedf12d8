namespace Backside.Core.Usage;

/// <summary>Keyed requests by key, and the requests paid with x402 (count and USDC atomic units) in the same range.</summary>
public sealed record OrganizationUsage(
    DateTimeOffset From, DateTimeOffset To, UsageCounts Totals, IReadOnlyList<KeyTotal> TopKeys, long PaidRequests = 0, long PaidAmount = 0);

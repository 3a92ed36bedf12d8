namespace Backside.Core.Usage;

public sealed record KeyTotal(string ApiKeyId, string Name, string Hint, UsageCounts Counts);

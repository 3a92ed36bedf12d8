namespace Backside.Core.ApiKeys;

public sealed record ApiKeyGridPage(IReadOnlyList<ApiKey> Items, int TotalCount);

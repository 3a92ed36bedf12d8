namespace Backside.Core.ApiKeys;

public enum ApiKeySortField
{
    CreatedAt,
    Name,
    LastUsedAt,
    Status,
    Environment,
}

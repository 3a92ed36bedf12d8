namespace Backside.Core.ApiKeys;

/// <summary>The dashboard grid's request: offset paging with a total, sorting, filters and a name/hint search.</summary>
public sealed record ApiKeyGridQuery(
    int Page,
    int PageSize,
    string? Search = null,
    ApiKeySortField SortBy = ApiKeySortField.CreatedAt,
    bool Descending = true,
    bool IncludeRevoked = false,
    ApiKeyStatus? Status = null,
    bool? Livemode = null);

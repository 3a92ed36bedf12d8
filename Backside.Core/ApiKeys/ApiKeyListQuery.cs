namespace Backside.Core.ApiKeys;

/// <summary>The API's list filters: <c>?status=&amp;environment=&amp;q=&amp;limit=&amp;starting_after=</c>.</summary>
public sealed record ApiKeyListQuery(
    string? Status = null,
    string? Environment = null,
    string? Search = null,
    int? Limit = null,
    string? StartingAfter = null);

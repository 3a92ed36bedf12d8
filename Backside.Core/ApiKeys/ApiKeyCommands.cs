using Backside.Core.Common;

namespace Backside.Core.ApiKeys;

/// <summary>Create a key. <paramref name="Scopes"/> null = full access; <paramref name="Environment"/> null = the caller's own.</summary>
public sealed record CreateApiKeyCommand(
    string? Name,
    string? Environment = null,
    IReadOnlyList<string>? Scopes = null,
    DateTimeOffset? ExpiresAt = null,
    int? RateLimitPerMinute = null,
    IReadOnlyList<string>? AllowedIps = null,
    IReadOnlyList<string>? AllowedReferrers = null);

/// <summary>Change some of a key's settings; absent fields stay as they are, null clears a nullable one.</summary>
public sealed record UpdateApiKeyCommand
{
    public Optional<string?> Name { get; init; }
    public Optional<IReadOnlyList<string>?> Scopes { get; init; }
    public Optional<int?> RateLimitPerMinute { get; init; }
    public Optional<DateTimeOffset?> ExpiresAt { get; init; }
    public Optional<IReadOnlyList<string>?> AllowedIps { get; init; }
    public Optional<IReadOnlyList<string>?> AllowedReferrers { get; init; }
}

/// <summary>The new key and its raw secret. The secret exists only in this object: show it once, then drop it.</summary>
public sealed record CreatedApiKey(ApiKey Key, string Secret);

/// <summary>The API's list filters: <c>?status=&amp;environment=&amp;q=&amp;limit=&amp;starting_after=</c>.</summary>
public sealed record ApiKeyListQuery(
    string? Status = null,
    string? Environment = null,
    string? Search = null,
    int? Limit = null,
    string? StartingAfter = null);

public enum ApiKeySortField
{
    CreatedAt,
    Name,
    LastUsedAt,
    Status,
    Environment,
}

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

public sealed record ApiKeyGridPage(IReadOnlyList<ApiKey> Items, int TotalCount);

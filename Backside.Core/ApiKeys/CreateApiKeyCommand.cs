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

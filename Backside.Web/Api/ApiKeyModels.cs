using System.Text.Json.Serialization;
using Backside.Core.ApiKeys;
using Backside.Core.Common;
using Microsoft.AspNetCore.Mvc;

namespace Backside.Web.Api;

public sealed record CreateApiKeyRequest(
    string? Name,
    string? Environment,
    List<string>? Scopes,
    DateTimeOffset? ExpiresAt,
    int? RateLimitPerMinute,
    List<string>? AllowedIps,
    List<string>? AllowedReferrers)
{
    public CreateApiKeyCommand ToCommand() =>
        new(Name, Environment, Scopes, ExpiresAt, RateLimitPerMinute, AllowedIps, AllowedReferrers);
}

/// <summary>PATCH body: send only the fields to change; <c>null</c> clears (scopes: full access; limit: the default).</summary>
public sealed record UpdateApiKeyRequest
{
    public Optional<string?> Name { get; init; }
    public Optional<List<string>?> Scopes { get; init; }
    public Optional<int?> RateLimitPerMinute { get; init; }
    public Optional<DateTimeOffset?> ExpiresAt { get; init; }
    public Optional<List<string>?> AllowedIps { get; init; }
    public Optional<List<string>?> AllowedReferrers { get; init; }

    public UpdateApiKeyCommand ToCommand() => new()
    {
        Name = Name,
        Scopes = Scopes.HasValue ? new Optional<IReadOnlyList<string>?>(true, Scopes.Value) : default,
        RateLimitPerMinute = RateLimitPerMinute,
        ExpiresAt = ExpiresAt,
        AllowedIps = AllowedIps.HasValue ? new Optional<IReadOnlyList<string>?>(true, AllowedIps.Value ?? []) : default,
        AllowedReferrers = AllowedReferrers.HasValue ? new Optional<IReadOnlyList<string>?>(true, AllowedReferrers.Value ?? []) : default,
    };
}

public sealed record RotateApiKeyRequest(int? GracePeriodSeconds);

public sealed record ApiKeyListParameters(
    [FromQuery] string? Status,
    [FromQuery] string? Environment,
    [FromQuery] string? Q,
    [FromQuery] int? Limit,
    [FromQuery(Name = "starting_after")] string? StartingAfter)
{
    public ApiKeyListQuery ToQuery() => new(Status, Environment, Q, Limit, StartingAfter);
}

/// <summary>A key as the API shows it: everything but the secret.</summary>
public record ApiKeyResponse(
    string Id,
    string Name,
    string Hint,
    string Environment,
    bool Livemode,
    IReadOnlyList<string>? Scopes,
    string Status,
    int? RateLimitPerMinute,
    IReadOnlyList<string> AllowedIps,
    IReadOnlyList<string> AllowedReferrers,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? UpdatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset SecretCreatedAt,
    DateTimeOffset? PreviousSecretExpiresAt,
    DateTimeOffset? LastUsedAt,
    string? LastUsedIp,
    DateTimeOffset? RevokedAt)
{
    [JsonPropertyOrder(-1)]
    public string Object => "api_key";

    public static ApiKeyResponse From(ApiKey key, DateTimeOffset now) => new(
        key.Id, key.Name, key.Hint, key.Environment, key.Livemode, key.Scopes, StatusName(key.EffectiveStatus(now)),
        key.RateLimitPerMinute, key.AllowedIps, key.AllowedReferrers, key.CreatedAt, key.CreatedBy, key.UpdatedAt,
        key.ExpiresAt, key.SecretCreatedAt, key.PreviousSecretExpiresAt > now ? key.PreviousSecretExpiresAt : null,
        key.LastUsedAt, key.LastUsedIp, key.RevokedAt);

    internal static string StatusName(ApiKeyStatus status) => status.ToString().ToLowerInvariant();
}

/// <summary>The answer to create and rotate: the key object plus the raw <c>key</c>, which is never shown again.</summary>
public sealed record CreatedApiKeyResponse : ApiKeyResponse
{
    private CreatedApiKeyResponse(ApiKeyResponse fields, string key) : base(fields) => Key = key;

    public string Key { get; }

    public static CreatedApiKeyResponse From(CreatedApiKey created, DateTimeOffset now) =>
        new(ApiKeyResponse.From(created.Key, now), created.Secret);
}

public sealed record ListResponse<T>(IReadOnlyList<T> Data, bool HasMore)
{
    [JsonPropertyOrder(-1)]
    public string Object => "list";
}

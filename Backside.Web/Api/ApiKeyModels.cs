using Backside.Core.ApiKeys;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace Backside.Web.Api;

public sealed record CreateApiKeyRequest(string? Name, string? Environment, List<string>? Scopes, DateTimeOffset? ExpiresAt)
{
    public CreateApiKeyCommand ToCommand() => new(Name, Environment, Scopes, ExpiresAt);
}

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
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt,
    string? LastUsedIp,
    DateTimeOffset? RevokedAt)
{
    [JsonPropertyOrder(-1)]
    public string Object => "api_key";

    public static ApiKeyResponse From(ApiKey key, DateTimeOffset now) => new(
        key.Id, key.Name, key.Hint, key.Environment, key.Livemode, key.Scopes, StatusName(key.EffectiveStatus(now)),
        key.CreatedAt, key.CreatedBy, key.ExpiresAt, key.LastUsedAt, key.LastUsedIp, key.RevokedAt);

    internal static string StatusName(ApiKeyStatus status) => status.ToString().ToLowerInvariant();
}

/// <summary>The answer to create: the key object plus the raw <c>key</c>, which is never shown again.</summary>
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

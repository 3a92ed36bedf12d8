using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Backside.Core.ApiKeys;
using Backside.Core.Common;
using Microsoft.AspNetCore.Mvc;

namespace Backside.Web.Api;

/// <summary>Only <c>name</c> is required; every other field has a default.</summary>
public sealed record CreateApiKeyRequest(
    [property: Required, StringLength(ApiKey.MaxNameLength, MinimumLength = 1), Description("A name people recognize the key by.")]
    string? Name = null,
    [property: AllowedValues(ApiKeyEnvironments.Live, ApiKeyEnvironments.Test), Description("live or test; by default the caller's own mode.")]
    string? Environment = null,
    [property: MinLength(1), MaxLength(ApiKeyLimits.MaxScopes), Description("domain:action scopes; null or absent means full access.")]
    List<string>? Scopes = null,
    [property: Description("When the key stops working; null or absent: never. A live key must expire within the organization's maximum lifetime of live keys, when it sets one (400 on expires_at).")]
    DateTimeOffset? ExpiresAt = null,
    [property: Range(1, ApiKeyLimits.MaxRateLimitPerMinute), Description("Requests per minute, at most the organization's plan's maximum; null or absent: the plan's default.")]
    int? RateLimitPerMinute = null,
    [property: MaxLength(ApiKeyLimits.MaxAllowedIps), Description("IP addresses and CIDR blocks the key may be used from; empty or absent: anywhere.")]
    List<string>? AllowedIps = null,
    [property: MaxLength(ApiKeyLimits.MaxAllowedReferrers), Description("Referrer hosts and *. patterns; empty or absent: any.")]
    List<string>? AllowedReferrers = null)
{
    public CreateApiKeyCommand ToCommand() =>
        new(Name, Environment, Scopes, ExpiresAt, RateLimitPerMinute, AllowedIps, AllowedReferrers);
}

/// <summary>
/// PATCH body: send only the fields to change. Each field has three states: absent = unchanged, <c>null</c> = clear
/// (where the field can be cleared), a value = set.
/// </summary>
public sealed record UpdateApiKeyRequest
{
    /// <remarks>Not nullable: a key always has a name.</remarks>
    [StringLength(ApiKey.MaxNameLength, MinimumLength = 1), Description("Absent: unchanged. A value: the new name. A key always has a name, so null is refused.")]
    public Optional<string> Name { get; init; }

    [MinLength(1), MaxLength(ApiKeyLimits.MaxScopes), Description("Absent: unchanged. null: full access. A list: exactly these scopes.")]
    public Optional<List<string>?> Scopes { get; init; }

    [Range(1, ApiKeyLimits.MaxRateLimitPerMinute), Description("Absent: unchanged. null: the plan's default. A number: requests per minute, at most the plan's maximum.")]
    public Optional<int?> RateLimitPerMinute { get; init; }

    [Description("Absent: unchanged. null: never expires. A date-time in the future: expires then. For a live key, within the organization's maximum lifetime of live keys when it sets one (400 on expires_at).")]
    public Optional<DateTimeOffset?> ExpiresAt { get; init; }

    [MaxLength(ApiKeyLimits.MaxAllowedIps), Description("Absent: unchanged. null or []: from anywhere. A list: only from these addresses and CIDR blocks.")]
    public Optional<List<string>?> AllowedIps { get; init; }

    [MaxLength(ApiKeyLimits.MaxAllowedReferrers), Description("Absent: unchanged. null or []: any referrer. A list: only these hosts and *. patterns.")]
    public Optional<List<string>?> AllowedReferrers { get; init; }

    public UpdateApiKeyCommand ToCommand() => new()
    {
        // The wire type says a name is never null; a null sent anyway still reaches Core's "name is required".
        Name = Name.HasValue ? new Optional<string?>(true, Name.Value) : default,
        Scopes = Scopes.HasValue ? new Optional<IReadOnlyList<string>?>(true, Scopes.Value) : default,
        RateLimitPerMinute = RateLimitPerMinute,
        ExpiresAt = ExpiresAt,
        AllowedIps = AllowedIps.HasValue ? new Optional<IReadOnlyList<string>?>(true, AllowedIps.Value ?? []) : default,
        AllowedReferrers = AllowedReferrers.HasValue ? new Optional<IReadOnlyList<string>?>(true, AllowedReferrers.Value ?? []) : default,
    };
}

public sealed record RotateApiKeyRequest(
    [property: Range(0, ApiKeyLimits.MaxGracePeriodSeconds), Description("How long the old secret keeps working, in seconds; absent or null: it stops at once.")]
    int? GracePeriodSeconds = null);

public sealed record ApiKeyListParameters(
    [FromQuery(Name = "status")][property: AllowedValues("active", "inactive", "revoked", "expired"), Description("Only keys in this status (any casing); by default every key but the revoked ones.")]
    string? Status,
    [FromQuery(Name = "environment")][property: AllowedValues(ApiKeyEnvironments.Live, ApiKeyEnvironments.Test), Description("Only live or only test keys.")]
    string? Environment,
    [FromQuery(Name = "q")][property: StringLength(ApiKey.MaxNameLength), Description("Part of the name or hint, any casing.")]
    string? Q,
    [FromQuery(Name = "limit")][property: Range(1, CursorPaging.MaxLimit), Description("Page size; 10 by default.")]
    int? Limit,
    [FromQuery(Name = "starting_after")][property: Description("The id of the last key of the previous page.")]
    string? StartingAfter)
{
    public ApiKeyListQuery ToQuery() => new(Status, Environment, Q, Limit, StartingAfter);
}

/// <summary>A key as the API shows it: everything but the secret.</summary>
public record ApiKeyResponse(
    string Id,
    string Name,
    string Hint,
    [property: AllowedValues(ApiKeyEnvironments.Live, ApiKeyEnvironments.Test)]
    string Environment,
    bool Livemode,
    IReadOnlyList<string>? Scopes,
    ApiKeyStatus Status,
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
    DateTimeOffset? RevokedAt,
    [property: Description("The person who created the key no longer belongs to the organization and nobody else has rotated it since: they may still hold the secret, so rotate it. Never true for keys created by keys or wallets.")]
    bool CreatedByFormerMember)
{
    [JsonPropertyOrder(-1)]
    public string Object => "api_key";

    public static ApiKeyResponse From(ApiKey key, DateTimeOffset now) => new(
        key.Id, key.Name, key.Hint, key.Environment, key.Livemode, key.Scopes, key.EffectiveStatus(now),
        key.RateLimitPerMinute, key.AllowedIps, key.AllowedReferrers, key.CreatedAt, key.CreatedBy, key.UpdatedAt,
        key.ExpiresAt, key.SecretCreatedAt, key.PreviousSecretExpiresAt > now ? key.PreviousSecretExpiresAt : null,
        key.LastUsedAt, key.LastUsedIp, key.RevokedAt, key.CreatedByFormerMember);
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

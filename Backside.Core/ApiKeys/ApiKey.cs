using Backside.Core.Common;

namespace Backside.Core.ApiKeys;

public sealed class ApiKey : IHasEntityId
{
    public const int MaxNameLength = 100;

    public required string Id { get; init; }
    public required string OrganizationId { get; init; }
    public required string Name { get; set; }

    /// <summary>From the prefix: <c>bsk_live_</c> keys see live data, <c>bsk_test_</c> keys test data.</summary>
    public bool Livemode { get; init; }

    /// <summary><c>null</c> is full access; otherwise the catalog scopes the key holds.</summary>
    public List<string>? Scopes { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }
    public ApiKeyStatus Status { get; set; } = ApiKeyStatus.Active;
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Id of the user (<c>usr_…</c>) or key (<c>key_…</c>) that created this key.</summary>
    public required string CreatedBy { get; init; }

    public DateTimeOffset? UpdatedAt { get; private set; }

    /// <summary>
    /// Not stored: <see cref="CreatedBy"/> is a person who no longer belongs to the key's organization, so the secret
    /// may have left with them (rotate it). Keys made by keys or wallets are never flagged. <see cref="ApiKeyService"/>
    /// works it out for every key it answers, one query per page.
    /// </summary>
    public bool CreatedByFormerMember { get; set; }

    /// <summary>
    /// Goes up with every change (a concurrency token): of two writes made from the same loaded state, the second
    /// fails and is retried on what the first wrote, so a revoke racing a rotate never leaves a rotated secret alive.
    /// </summary>
    public int Version { get; private set; } = 1;

    /// <summary>Marks a change of the key's settings, status or secret; every lifecycle write calls it.</summary>
    public void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Version++;
    }
    public DateTimeOffset? LastUsedAt { get; set; }
    public string? LastUsedIp { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>Requests per minute; <c>null</c> takes the configured default.</summary>
    public int? RateLimitPerMinute { get; set; }

    /// <summary>CIDR blocks the key may be used from, normalized (<c>203.0.113.7/32</c>); empty allows any address.</summary>
    public List<string> AllowedIps { get; set; } = [];

    /// <summary>Host patterns (<c>app.example.com</c>, <c>*.example.com</c>) a browser request must come from; empty allows any.</summary>
    public List<string> AllowedReferrers { get; set; } = [];

    /// <summary>SHA-256 of the full key. The raw key is never stored.</summary>
    public required byte[] SecretHash { get; set; }

    /// <summary>When the current secret was issued: at creation, then at each rotation. Drives the "rotate me" badge.</summary>
    public DateTimeOffset SecretCreatedAt { get; set; }

    /// <summary>The secret replaced by the last rotation, still accepted until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public byte[]? PreviousSecretHash { get; set; }

    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }

    /// <summary>What people see instead of the key: <c>bsk_live_a1B2…x9Yz</c>.</summary>
    public required string Hint { get; set; }

    public string Environment => Livemode ? ApiKeyEnvironments.Live : ApiKeyEnvironments.Test;

    public ApiKeyStatus EffectiveStatus(DateTimeOffset now) => EffectiveStatus(Status, ExpiresAt, now);

    internal static ApiKeyStatus EffectiveStatus(ApiKeyStatus stored, DateTimeOffset? expiresAt, DateTimeOffset now) =>
        stored == ApiKeyStatus.Active && expiresAt <= now ? ApiKeyStatus.Expired : stored;
}

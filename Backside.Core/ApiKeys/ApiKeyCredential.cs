using System.Net;
using System.Text.Json.Serialization;
using Backside.Core.Common;
using Backside.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Backside.Core.ApiKeys;

/// <summary>
/// What the authentication handler needs to know about a key: an immutable snapshot, safe to cache. Its stored
/// members are plain values, so a shared cache can serialize it; the parsed forms are built once per instance.
/// </summary>
[System.ComponentModel.ImmutableObject(true)]
public sealed record ApiKeyCredential(
    string Id,
    string OrganizationId,
    bool Livemode,
    IReadOnlyList<string>? ScopeValues,
    ApiKeyStatus Status,
    DateTimeOffset? ExpiresAt,
    int? RateLimitPerMinute,
    IReadOnlyList<string> AllowedIps,
    IReadOnlyList<string> AllowedReferrers,
    byte[] SecretHash,
    DateTimeOffset? SecretExpiresAt)
{
    [JsonIgnore]
    public ScopeSet Scopes { get; } = ScopeSet.FromStored(ScopeValues);

    [JsonIgnore]
    public IReadOnlyList<IPNetwork> AllowedNetworks { get; } = ApiKeyRestrictions.ParseNetworks(AllowedIps);

    public ApiKeyStatus EffectiveStatus(DateTimeOffset now) => ApiKey.EffectiveStatus(Status, ExpiresAt, now);

    /// <summary>False for the old secret of a rotated key once its grace window has passed.</summary>
    public bool IsSecretCurrent(DateTimeOffset now) => SecretExpiresAt is null || now < SecretExpiresAt;
}

/// <summary>
/// The answer to a key lookup: the key, no key (<see cref="Credential"/> null), or no lookup at all because the
/// client has spent its budget of lookups that found nothing (<see cref="Throttle"/> refused).
/// </summary>
public readonly record struct ApiKeyLookup(ApiKeyCredential? Credential, ThrottleDecision Throttle)
{
    public static readonly ApiKeyLookup NoSuchKey = new(null, ThrottleDecision.Allow);

    public static ApiKeyLookup Found(ApiKeyCredential? credential) => new(credential, ThrottleDecision.Allow);

    public static ApiKeyLookup Throttled(ThrottleDecision decision) => new(null, decision);
}

/// <summary>
/// Finds a key by the SHA-256 of its secret, for a request from <c>client</c>. The seam where a cache goes in front
/// of the database. A <see cref="ValueTask{TResult}"/> because nearly every call is a cache hit that completes at once.
/// </summary>
public interface IApiKeyCredentialStore
{
    ValueTask<ApiKeyLookup> FindBySecretHashAsync(byte[] secretHash, IPAddress? client, CancellationToken ct);
}

/// <summary>The database read behind the cache.</summary>
public sealed class DatabaseApiKeyCredentialStore(BacksideDbContext db)
{
    /// <summary>Matches the current secret, or the previous one of a rotated key (which then carries its expiry).</summary>
    public async ValueTask<ApiKeyCredential?> FindBySecretHashAsync(byte[] secretHash, CancellationToken ct)
    {
        var key = await db.ApiKeys.AsNoTracking()
            .Where(k => k.SecretHash == secretHash || k.PreviousSecretHash == secretHash)
            .Select(k => new
            {
                k.Id, k.OrganizationId, k.Livemode, k.Scopes, k.Status, k.ExpiresAt, k.RateLimitPerMinute,
                k.AllowedIps, k.AllowedReferrers, k.SecretHash, k.PreviousSecretHash, k.PreviousSecretExpiresAt,
            })
            .FirstOrDefaultAsync(ct);
        if (key is null)
            return null;

        var isCurrent = key.SecretHash.AsSpan().SequenceEqual(secretHash);
        return new ApiKeyCredential(
            key.Id, key.OrganizationId, key.Livemode, key.Scopes, key.Status, key.ExpiresAt,
            key.RateLimitPerMinute, key.AllowedIps, key.AllowedReferrers,
            isCurrent ? key.SecretHash : key.PreviousSecretHash!,
            isCurrent ? null : key.PreviousSecretExpiresAt ?? DateTimeOffset.MinValue);
    }
}

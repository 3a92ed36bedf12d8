using System.Text.Json.Serialization;

namespace Backside.Core.ApiKeys;

/// <summary>A cache entry: the credential (null only while a load that found nothing is handed back).</summary>
/// <remarks>
/// Only <see cref="Credential"/> travels through the shared second level; the other members describe this
/// instance's copy and are set when the entry is loaded here or arrives from the second level
/// (<see cref="CachedCredentialSerializer"/>).
/// </remarks>
[System.ComponentModel.ImmutableObject(true)]
public sealed record CachedCredential(ApiKeyCredential? Credential)
{
    /// <summary>
    /// The invalidation counter of this process when the entry was read from the database. Not shared: an entry from
    /// another instance counts as loaded before any invalidation noted here, so it is read again.
    /// </summary>
    [JsonIgnore]
    public long LoadedAt { get; init; }

    /// <summary>The <see cref="ApiKeyCacheCoherence.Epoch"/> when this instance began to load the entry.</summary>
    [JsonIgnore]
    public long Epoch { get; init; }

    /// <summary>A <see cref="TimeProvider.GetTimestamp"/> of when this instance began to load the entry.</summary>
    [JsonIgnore]
    public long CachedAt { get; init; }
}

using System.Text.Json.Serialization;

namespace Backside.Core.ApiKeys;

/// <summary>A cache entry: the credential (null only while a load that found nothing is handed back).</summary>
[System.ComponentModel.ImmutableObject(true)]
public sealed record CachedCredential(ApiKeyCredential? Credential)
{
    /// <summary>
    /// The invalidation counter of this process when the entry was read from the database. Not shared: an entry from
    /// another instance counts as loaded before any invalidation noted here, so it is read again.
    /// </summary>
    [JsonIgnore]
    public long LoadedAt { get; init; }
}

using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Caching.Hybrid;

namespace Backside.Core.ApiKeys;

/// <summary>
/// The credential cache's second-level format (JSON of the credential). An entry read back is stamped as this
/// instance's copy (<see cref="ApiKeyCacheCoherence.Stamp"/>), so the subscription-loss rules apply to it from
/// the moment it arrived here.
/// </summary>
public sealed class CachedCredentialSerializer(ApiKeyCacheCoherence coherence) : IHybridCacheSerializer<CachedCredential>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public CachedCredential Deserialize(ReadOnlySequence<byte> source)
    {
        var reader = new Utf8JsonReader(source);
        var arrived = JsonSerializer.Deserialize<CachedCredential>(ref reader, Json)
            ?? throw new JsonException("A cached credential was null.");
        return coherence.Stamp(arrived);
    }

    public void Serialize(CachedCredential value, IBufferWriter<byte> target)
    {
        using var writer = new Utf8JsonWriter(target);
        JsonSerializer.Serialize(writer, value, Json);
    }
}

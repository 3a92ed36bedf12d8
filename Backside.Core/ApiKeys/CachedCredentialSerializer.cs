using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Caching.Hybrid;

namespace Backside.Core.ApiKeys;

/// <summary>
/// The credential cache's second-level format: <c>{"format": N, "entry": {…}}</c>, the entry being the JSON of the
/// <see cref="CachedCredential"/>. An entry read back is stamped as this instance's copy
/// (<see cref="ApiKeyCacheCoherence.Stamp"/>), so the subscription-loss rules apply to it from the moment it arrived here.
/// </summary>
/// <remarks>
/// An entry in any other format (one written before <see cref="Format"/> last changed, by an instance not yet
/// upgraded, or not JSON at all) reads as a miss: null, so the lookup goes to the database and overwrites it. Bump
/// <see cref="Format"/> whenever <see cref="ApiKeyCredential"/>'s stored members change: an old entry read into the new
/// shape would carry defaults (a plan limit of 0) instead of the truth.
/// </remarks>
public sealed class CachedCredentialSerializer(ApiKeyCacheCoherence coherence) : IHybridCacheSerializer<CachedCredential?>
{
    /// <summary>1 was the bare <c>{"credential": …}</c>; 2 added the format and the plan's limits.</summary>
    public const int Format = 2;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public CachedCredential? Deserialize(ReadOnlySequence<byte> source)
    {
        Envelope? envelope;
        try
        {
            var reader = new Utf8JsonReader(source);
            envelope = JsonSerializer.Deserialize<Envelope>(ref reader, Json);
        }
        catch (JsonException)
        {
            return null;
        }
        return envelope is { Format: Format, Entry: { } arrived } ? coherence.Stamp(arrived) : null;
    }

    public void Serialize(CachedCredential? value, IBufferWriter<byte> target)
    {
        using var writer = new Utf8JsonWriter(target);
        JsonSerializer.Serialize(writer, new Envelope(Format, value), Json);
    }

    private sealed record Envelope(int? Format, CachedCredential? Entry);
}

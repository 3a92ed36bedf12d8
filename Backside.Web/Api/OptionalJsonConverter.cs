using System.Text.Json;
using System.Text.Json.Serialization;
using Backside.Core.Common;

namespace Backside.Web.Api;

/// <summary>
/// Reads a PATCH field as <see cref="Optional{T}"/>: the converter only runs for properties present in the JSON, so
/// an absent field stays <c>default</c> (not present) and <c>"field": null</c> becomes present-and-null.
/// </summary>
public sealed class OptionalJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(Optional<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(OptionalConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class OptionalConverter<T> : JsonConverter<Optional<T>>
    {
        public override bool HandleNull => true;

        public override Optional<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            try
            {
                return new(true, JsonSerializer.Deserialize<T>(ref reader, options)!);
            }
            catch (JsonException inner) when (inner.Path is not null)
            {
                // The nested call names its own root ('$'); an exception without a path gets the field's ('$.name').
                throw new JsonException(inner.Message, inner);
            }
        }

        public override void Write(Utf8JsonWriter writer, Optional<T> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.Value, options);
    }
}

using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Backside.Core.Common;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Backside.Web.OpenApi;

/// <summary>
/// Makes each schema say what the server does: PATCH fields (<see cref="Optional{T}"/>) as their value's schema,
/// nullable where <c>null</c> clears; the limits Core enforces (from the models' attributes); <c>required</c> for the
/// request fields the server refuses to go without; the constant <c>object</c> as a one-value enum; and non-nullable
/// references without <c>null</c>.
/// </summary>
public sealed class ApiSchemaTransformer : IOpenApiSchemaTransformer
{
    public async Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        // A query parameter: its record property carries the limits.
        if (context.JsonPropertyInfo is null && context.ParameterDescription?.ParameterDescriptor is IParameterInfoParameterDescriptor { ParameterInfo: { } parameter })
            ApplyLimits(schema, parameter);

        // NullabilityInfoContext is not thread-safe, and documents may be built concurrently: one per use.
        if (context.JsonTypeInfo.Kind != JsonTypeInfoKind.Object || schema.Properties is null)
            return;
        foreach (var property in context.JsonTypeInfo.Properties)
        {
            if (property.AttributeProvider is not PropertyInfo clr || !schema.Properties.TryGetValue(property.Name, out var existing))
                continue;
            if (IsOptional(property.PropertyType))
            {
                schema.Properties[property.Name] = await OptionalValueSchemaAsync(clr, existing.Description, context, cancellationToken);
                continue;
            }
            if (existing is not OpenApiSchema propertySchema)
                continue;
            ApplyLimits(propertySchema, clr);
            if (!clr.PropertyType.IsValueType && new NullabilityInfoContext().Create(clr).ReadState == NullabilityState.NotNull && propertySchema.Type is { } type)
                propertySchema.Type = type & ~JsonSchemaType.Null;
            if (property.Name == "object" && ConstantOf(context.JsonTypeInfo, property) is { } constant)
                propertySchema.Enum = [JsonValue.Create(constant)];
            if (clr.IsDefined(typeof(RequiredAttribute)))
                (schema.Required ??= new HashSet<string>(StringComparer.Ordinal)).Add(property.Name);
        }
    }

    private static bool IsOptional(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Optional<>);

    /// <summary>
    /// An <c>Optional&lt;T&gt;</c> field is T on the wire when present; it may be <c>null</c> only where T is nullable,
    /// which is where the server reads <c>null</c> as "clear".
    /// </summary>
    private static async Task<IOpenApiSchema> OptionalValueSchemaAsync(
        PropertyInfo property, string? description, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var argument = property.PropertyType.GetGenericArguments()[0];
        var valueType = Nullable.GetUnderlyingType(argument) ?? argument;
        var nullable = argument != valueType || new NullabilityInfoContext().Create(property).GenericTypeArguments[0].ReadState != NullabilityState.NotNull;
        var value = await context.GetOrCreateSchemaAsync(valueType, null, ct);
        value.Type = nullable ? value.Type | JsonSchemaType.Null : value.Type & ~JsonSchemaType.Null;
        value.Description = description ?? property.GetCustomAttribute<DescriptionAttribute>()?.Description;
        ApplyLimits(value, property);
        return value;
    }

    /// <summary>The value a constant getter returns (<c>object => "api_key"</c>), read from a blank instance so it is written once.</summary>
    private static string? ConstantOf(JsonTypeInfo type, JsonPropertyInfo property) =>
        type.Type.IsAbstract || type.Type.ContainsGenericParameters || property.Get is null || property.Set is not null
            ? null
            : property.Get(RuntimeHelpers.GetUninitializedObject(type.Type)) as string;

    /// <summary>The data annotations the models carry, as JSON Schema keywords (lengths apply to items for arrays).</summary>
    private static void ApplyLimits(OpenApiSchema schema, ICustomAttributeProvider source)
    {
        var isArray = schema.Type?.HasFlag(JsonSchemaType.Array) == true;
        foreach (var attribute in source.GetCustomAttributes(true))
        {
            switch (attribute)
            {
                case RangeAttribute range:
                    schema.Minimum = Convert.ToString(range.Minimum, CultureInfo.InvariantCulture);
                    schema.Maximum = Convert.ToString(range.Maximum, CultureInfo.InvariantCulture);
                    break;
                case StringLengthAttribute length:
                    schema.MaxLength = length.MaximumLength;
                    if (length.MinimumLength > 0)
                        schema.MinLength = length.MinimumLength;
                    break;
                case MaxLengthAttribute max when isArray:
                    schema.MaxItems = max.Length;
                    break;
                case MinLengthAttribute min when isArray:
                    schema.MinItems = min.Length;
                    break;
                case AllowedValuesAttribute allowed:
                    schema.Enum = allowed.Values.Select(v => (JsonNode)JsonValue.Create(Convert.ToString(v, CultureInfo.InvariantCulture))!).ToList();
                    // Where null is accepted (the default), the enum must admit it too.
                    if (schema.Type?.HasFlag(JsonSchemaType.Null) == true)
                        schema.Enum.Add(null!);
                    break;
                case DescriptionAttribute description when schema.Description is null:
                    schema.Description = description.Description;
                    break;
            }
        }
    }
}

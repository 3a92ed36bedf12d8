using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Backside.Web.OpenApi;

/// <summary>
/// The server writes every property of a success body, nulls included, so every property of a schema that only
/// responses use is <c>required</c> (a schema a request body uses keeps the request's rules).
/// </summary>
public sealed class ResponseSchemasTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var schemas = document.Components?.Schemas;
        if (schemas is null)
            return Task.CompletedTask;
        var operations = document.Paths.Values.SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()).ToList();
        var inRequests = Reachable(schemas, operations.SelectMany(o => o.RequestBody?.Content?.Values ?? []).Select(m => m.Schema));
        var inResponses = Reachable(schemas, operations
            .SelectMany(o => o.Responses ?? [])
            .Where(r => r.Key.StartsWith('2'))
            .SelectMany(r => r.Value.Content ?? new Dictionary<string, OpenApiMediaType>())
            .Where(c => c.Key == "application/json")
            .Select(c => c.Value.Schema));
        foreach (var id in inResponses.Except(inRequests))
        {
            if (schemas[id] is OpenApiSchema { Properties: { Count: > 0 } properties } schema)
                schema.Required = new HashSet<string>(properties.Keys, StringComparer.Ordinal);
        }
        return Task.CompletedTask;
    }

    /// <summary>The component schemas these schemas use, directly or through properties, items and compositions.</summary>
    private static HashSet<string> Reachable(IDictionary<string, IOpenApiSchema> components, IEnumerable<IOpenApiSchema?> roots)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<IOpenApiSchema>(roots.OfType<IOpenApiSchema>());
        while (pending.TryPop(out var schema))
        {
            if (schema is OpenApiSchemaReference { Reference.Id: { } id })
            {
                if (found.Add(id) && components.TryGetValue(id, out var target))
                    pending.Push(target);
                continue;
            }
            foreach (var child in (schema.Properties?.Values ?? []).Concat(schema.AllOf ?? []).Concat(schema.OneOf ?? []).Concat(schema.AnyOf ?? []))
                pending.Push(child);
            if (schema.Items is { } items)
                pending.Push(items);
        }
        return found;
    }
}

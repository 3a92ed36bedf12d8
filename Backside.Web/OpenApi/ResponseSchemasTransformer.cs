using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Backside.Web.OpenApi;

/// <summary>
/// The server writes every property of a success body, nulls included, so in the schemas only responses use every
/// property is <c>required</c> (a schema a request body uses keeps the request's rules). Each tag gets its description.
/// </summary>
public sealed class ResponseSchemasTransformer : IOpenApiDocumentTransformer
{
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Sessions"] = "API sessions for people: sign in with email and password (and a second factor), refresh, sign out.",
        ["Contacts"] = "The sample business resource the scopes protect; live and test keys see separate contacts.",
        ["API keys"] = "Create, list, change, rotate, deactivate, activate and revoke the organization's API keys.",
        ["Audit log"] = "Every change to a key, who made it, from where and when, as a tamper-evident chain.",
        ["Usage"] = "Request counts by outcome, per key and for the organization.",
        ["Health"] = "A cheap keyed endpoint to check a key and measure what authentication costs.",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
        {
            if (tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description))
                tag.Description = description;
        }

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

using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Backside.Tests.Infrastructure;

/// <summary>One response as the client saw it: what <see cref="OpenApiContract"/> checks.</summary>
/// <param name="Headers">Every response and content header, by name (case-insensitive), repeated values joined by ", ".</param>
public sealed record ApiExchange(string Method, string Path, int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? MediaType => Headers.TryGetValue("Content-Type", out var value) ? OpenApiContract.MediaTypeOf(value) : null;
}

/// <summary>
/// The served OpenAPI document as a checker of responses: each operation's declared statuses, media types, body schemas
/// (JSON Schema 2020-12, <c>$ref</c>s resolved into the document's components) and response headers. Every schema is
/// built once per document text (<see cref="For"/> caches them for the process), so checking a response only evaluates.
/// </summary>
public sealed class OpenApiContract
{
    public const string ApiPrefix = "/api/v1";

    /// <summary>Where the document is registered, so the response schemas' <c>#/components/...</c> refs resolve into it.</summary>
    private static readonly Uri DocumentUri = new("https://backside.test/openapi/v1.json");

    private static readonly ConcurrentDictionary<string, Lazy<OpenApiContract>> ByDocument = new(StringComparer.Ordinal);

    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    /// <summary>
    /// JSON Schema 2020-12 as OpenAPI 3.1 uses it: <c>x-</c> extensions (such as Kiota's <c>x-ms-primary-error-message</c>)
    /// are annotations there, not errors. Whether the document is valid OpenAPI is the lint test's to say.
    /// </summary>
    private static readonly Dialect OpenApiDialect = Dialect.Draft202012.With(
        [], new Uri("https://spec.openapis.org/oas/3.1/dialect/base"), refIgnoresSiblingKeywords: null, allowUnknownKeywords: true);

    private readonly List<Operation> operations;
    private readonly JsonSchema? problem;
    private readonly BuildOptions build;
    private int schemaCount;

    private OpenApiContract(JsonElement document)
    {
        var registry = new SchemaRegistry();
        registry.Register(new JsonElementBaseDocument(document, DocumentUri));
        build = new BuildOptions { SchemaRegistry = registry, Dialect = OpenApiDialect };
        operations = [.. ReadOperations(document)];
        if (document.TryGetProperty("components", out var components) && components.TryGetProperty("schemas", out var schemas)
            && schemas.TryGetProperty("Problem", out _))
            problem = Build(JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["$ref"] = "#/components/schemas/Problem" }));
    }

    /// <summary>The contract of a document text, built the first time that exact text is seen in this test run.</summary>
    public static OpenApiContract For(string documentJson) =>
        ByDocument.GetOrAdd(documentJson, text => new Lazy<OpenApiContract>(() => Parse(text))).Value;

    /// <summary>A contract of its own (not cached): for the tests that check the validator on a broken copy.</summary>
    public static OpenApiContract Parse(string documentJson)
    {
        using var parsed = JsonDocument.Parse(documentJson);
        return new OpenApiContract(parsed.RootElement.Clone());
    }

    /// <summary>Fetches the app's document through <paramref name="client"/> (which must not validate: it is not an API call).</summary>
    public static async Task<OpenApiContract> LoadAsync(HttpClient client, CancellationToken ct = default)
    {
        using var response = await client.GetAsync("/openapi/v1.json", ct);
        response.EnsureSuccessStatusCode();
        return For(await response.Content.ReadAsStringAsync(ct));
    }

    /// <summary>Whether a request path is part of the documented API (everything else, pages and /health, is not checked).</summary>
    public static bool Covers(string path) =>
        path.Equals(ApiPrefix, StringComparison.OrdinalIgnoreCase) || path.StartsWith(ApiPrefix + "/", StringComparison.OrdinalIgnoreCase);

    public static string MediaTypeOf(string contentType) => contentType.Split(';')[0].Trim().ToLowerInvariant();

    /// <summary>Every way the response breaks the document; empty when it conforms.</summary>
    public IReadOnlyList<string> Check(ApiExchange exchange)
    {
        var operation = Find(exchange.Method, exchange.Path);
        return operation is null ? CheckUnrouted(exchange) : CheckDeclared(operation, exchange);
    }

    /// <summary>The operation a request is for: method and path template, a literal segment beating a parameter.</summary>
    public string? OperationOf(string method, string path) => Find(method, path) is { } operation ? $"{operation.Method} {operation.Template}" : null;

    /// <summary>How many schemas the document took to build: the tests prove they are built once, not per response.</summary>
    public int SchemaCount => schemaCount;

    private Operation? Find(string method, string path)
    {
        var segments = path.TrimEnd('/').Split('/');
        Operation? best = null;
        var bestLiterals = -1;
        foreach (var operation in operations)
        {
            if (!operation.Method.Equals(method, StringComparison.OrdinalIgnoreCase) || operation.Segments.Length != segments.Length)
                continue;
            var literals = 0;
            var matches = true;
            for (var i = 0; i < segments.Length && matches; i++)
            {
                var template = operation.Segments[i];
                if (template.StartsWith('{') && template.EndsWith('}'))
                    matches = segments[i].Length > 0;
                else if (template.Equals(Uri.UnescapeDataString(segments[i]), StringComparison.OrdinalIgnoreCase))
                    literals++;
                else
                    matches = false;
            }
            if (matches && literals > bestLiterals)
                (best, bestLiterals) = (operation, literals);
        }
        return best;
    }

    private List<string> CheckDeclared(Operation operation, ApiExchange exchange)
    {
        var errors = new List<string>();
        var status = exchange.Status.ToString(CultureInfo.InvariantCulture);
        if (!operation.Responses.TryGetValue(status, out var declared)
            && !operation.Responses.TryGetValue($"{status[0]}XX", out declared)
            && !operation.Responses.TryGetValue("default", out declared))
        {
            errors.Add($"status {status} is not declared (declared: {string.Join(", ", operation.Responses.Keys)})");
            return errors;
        }

        CheckBody(declared, exchange, errors);
        foreach (var header in declared.Headers)
        {
            if (!exchange.Headers.TryGetValue(header.Name, out var value))
            {
                if (header.Required)
                    errors.Add($"header {header.Name} is declared required but is missing");
                continue;
            }
            if (header.Schema is not null)
                foreach (var error in Evaluate(header.Schema, HeaderInstance(value, header.Numeric)))
                    errors.Add($"header {header.Name} \"{value}\": {error}");
        }
        return errors;
    }

    private void CheckBody(DeclaredResponse declared, ApiExchange exchange, List<string> errors)
    {
        var hasBody = exchange.Body.Length > 0;
        if (declared.Content.Count == 0)
        {
            if (hasBody)
                errors.Add($"the response declares no body but has {exchange.Body.Length} bytes ({exchange.MediaType ?? "no content type"})");
            return;
        }
        if (!hasBody)
        {
            // A HEAD answer carries the headers of a GET without its body.
            if (!exchange.Method.Equals("HEAD", StringComparison.OrdinalIgnoreCase))
                errors.Add($"the response declares a body ({string.Join(", ", declared.Content.Keys)}) but has none");
            return;
        }
        var mediaType = exchange.MediaType;
        var match = mediaType is null ? null : declared.Content.FirstOrDefault(c => MediaTypeMatches(c.Key, mediaType)).Key;
        if (match is null)
        {
            errors.Add($"content type {mediaType ?? "(none)"} is not declared (declared: {string.Join(", ", declared.Content.Keys)})");
            return;
        }
        if (declared.Content[match] is { } schema)
            errors.AddRange(EvaluateBody(schema, mediaType!, exchange.Body));
    }

    /// <summary>
    /// An /api/v1 request no operation matches (an unknown path, or a method the path does not have) cannot be checked
    /// against an operation, so it must be answered as the whole API refuses: a 4xx problem+json that validates against
    /// the shared Problem schema. That is a 404 or 405 from routing, or a refusal that comes before routing (a refused
    /// key's 401, an oversized body's 413, a spent budget's 429); or the 500 problem any failure inside the pipeline
    /// becomes. Anything else (a 2xx, a redirect, another 5xx, an HTML page) fails.
    /// </summary>
    private List<string> CheckUnrouted(ApiExchange exchange)
    {
        var errors = new List<string>();
        if (exchange.Status is (< 400 or > 499) and not 500)
            errors.Add($"no operation matches {exchange.Method} {exchange.Path}, so it must be refused with a 4xx (or 500) problem, not {exchange.Status}");
        if (problem is null)
            errors.Add("the document declares no components/schemas/Problem to check the refusal against");
        else if (exchange.MediaType != "application/problem+json")
            errors.Add($"no operation matches {exchange.Method} {exchange.Path}; its refusal must be application/problem+json, not {exchange.MediaType ?? "(none)"}");
        else
            errors.AddRange(EvaluateBody(problem, exchange.MediaType, exchange.Body));
        return errors;
    }

    private static bool MediaTypeMatches(string declared, string actual)
    {
        declared = MediaTypeOf(declared);
        if (declared == "*/*" || declared == actual)
            return true;
        return declared.EndsWith("/*", StringComparison.Ordinal) && actual.StartsWith(declared[..^1], StringComparison.Ordinal);
    }

    private static IEnumerable<string> EvaluateBody(JsonSchema schema, string mediaType, byte[] body)
    {
        if (!(mediaType.EndsWith("/json", StringComparison.Ordinal) || mediaType.EndsWith("+json", StringComparison.Ordinal)))
            return [];
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            return [$"the {mediaType} body is not JSON: {e.Message}"];
        }
        using (parsed)
            return Evaluate(schema, parsed.RootElement).Select(error => $"body {error}");
    }

    private static List<string> Evaluate(JsonSchema schema, JsonElement instance)
    {
        var results = schema.Evaluate(instance, Evaluation);
        if (results.IsValid)
            return [];
        var errors = (results.Details ?? [])
            .Prepend(results)
            .Where(r => r.Errors is { Count: > 0 })
            .SelectMany(r => r.Errors!.Select(e => $"at \"{r.InstanceLocation}\": {e.Value} ({e.Key} at {r.EvaluationPath})"))
            .Distinct()
            .ToList();
        return errors.Count > 0 ? errors : ["does not match its schema"];
    }

    /// <summary>A header value as the JSON instance its schema describes: a number where the schema says so, else the text.</summary>
    private static JsonElement HeaderInstance(string value, bool numeric) =>
        numeric && decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            ? JsonSerializer.SerializeToElement(number)
            : JsonSerializer.SerializeToElement(value);

    private IEnumerable<Operation> ReadOperations(JsonElement document)
    {
        if (!document.TryGetProperty("paths", out var paths))
            yield break;
        foreach (var path in paths.EnumerateObject())
            foreach (var item in path.Value.EnumerateObject())
            {
                if (item.Name is "parameters" or "summary" or "description" or "servers" || item.Name.StartsWith("x-", StringComparison.Ordinal))
                    continue;
                var responses = new Dictionary<string, DeclaredResponse>(StringComparer.OrdinalIgnoreCase);
                if (item.Value.TryGetProperty("responses", out var declared))
                    foreach (var response in declared.EnumerateObject())
                        responses[response.Name] = ReadResponse(document, response.Value);
                yield return new Operation(item.Name.ToUpperInvariant(), path.Name, path.Name.TrimEnd('/').Split('/'), responses);
            }
    }

    private DeclaredResponse ReadResponse(JsonElement document, JsonElement response)
    {
        response = Resolve(document, response);
        var content = new Dictionary<string, JsonSchema?>(StringComparer.OrdinalIgnoreCase);
        if (response.TryGetProperty("content", out var media))
            foreach (var type in media.EnumerateObject())
                content[type.Name] = type.Value.TryGetProperty("schema", out var schema) ? Build(schema) : null;
        var headers = new List<DeclaredHeader>();
        if (response.TryGetProperty("headers", out var declared))
            foreach (var header in declared.EnumerateObject())
            {
                // OpenAPI: a response header named Content-Type is ignored (the media type says it).
                if (header.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                    continue;
                var value = Resolve(document, header.Value);
                var required = value.TryGetProperty("required", out var flag) && flag.ValueKind == JsonValueKind.True;
                var schema = value.TryGetProperty("schema", out var s) ? s : default;
                headers.Add(new DeclaredHeader(header.Name, required,
                    schema.ValueKind == JsonValueKind.Object ? Build(schema) : null,
                    schema.ValueKind == JsonValueKind.Object && IsNumeric(Resolve(document, schema))));
            }
        return new DeclaredResponse(content, headers);
    }

    private static bool IsNumeric(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
            return false;
        var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()) : [type.GetString()];
        return types.Any(t => t is "integer" or "number");
    }

    /// <summary>Follows a <c>$ref</c> to a response, header or schema object inside the document.</summary>
    private static JsonElement Resolve(JsonElement document, JsonElement element)
    {
        while (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("$ref", out var reference)
            && reference.GetString() is { } pointer && pointer.StartsWith("#/", StringComparison.Ordinal))
        {
            var target = document;
            foreach (var token in pointer[2..].Split('/'))
                if (!target.TryGetProperty(Uri.UnescapeDataString(token).Replace("~1", "/").Replace("~0", "~"), out target))
                    throw new InvalidOperationException($"The document's {pointer} points nowhere.");
            element = target;
        }
        return element;
    }

    /// <summary>
    /// A schema of the document, built on its own base URI with its local refs made absolute, so they resolve into the
    /// registered document (where the components' own refs resolve in turn).
    /// </summary>
    private JsonSchema Build(JsonElement schema)
    {
        var node = JsonNode.Parse(schema.GetRawText())!;
        AnchorRefs(node);
        return JsonSchema.Build(JsonSerializer.SerializeToElement(node), build, new Uri($"https://backside.test/responses/{Interlocked.Increment(ref schemaCount)}"));
    }

    private static void AnchorRefs(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["$ref"] is JsonValue reference && reference.TryGetValue<string>(out var target) && target.StartsWith('#'))
                    obj["$ref"] = DocumentUri + target;
                foreach (var (_, child) in obj.ToList())
                    AnchorRefs(child);
                break;
            case JsonArray array:
                foreach (var child in array)
                    AnchorRefs(child);
                break;
        }
    }

    /// <summary>What the failure message says about the response: the request, the answer and the start of the body.</summary>
    public static string Describe(ApiExchange exchange, string? operation, IReadOnlyList<string> errors)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"The response breaks the OpenAPI document: {exchange.Method} {exchange.Path} answered {exchange.Status}");
        text.Append(CultureInfo.InvariantCulture, $" ({exchange.MediaType ?? "no content type"}; operation {operation ?? "none matches"})");
        foreach (var error in errors)
            text.Append(CultureInfo.InvariantCulture, $"\n  - {error}");
        const int shown = 2048;
        var body = Encoding.UTF8.GetString(exchange.Body.AsSpan(0, Math.Min(exchange.Body.Length, shown)));
        text.Append(CultureInfo.InvariantCulture, $"\n  body ({exchange.Body.Length} bytes): {body}{(exchange.Body.Length > shown ? "…" : "")}");
        return text.ToString();
    }

    private sealed record Operation(string Method, string Template, string[] Segments, IReadOnlyDictionary<string, DeclaredResponse> Responses);

    private sealed record DeclaredResponse(IReadOnlyDictionary<string, JsonSchema?> Content, IReadOnlyList<DeclaredHeader> Headers);

    /// <param name="Numeric">Whether the schema takes a number, so the header's text is checked as one.</param>
    private sealed record DeclaredHeader(string Name, bool Required, JsonSchema? Schema, bool Numeric);
}

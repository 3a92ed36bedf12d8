using System.Net;
using System.Text.Json;
using Backside.Tests.Infrastructure;

namespace Backside.Tests.Contract;

/// <summary>What the document says an operation can answer, what headers come with it, and who may call it.</summary>
public class OpenApiResponsesTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    [Fact]
    public async Task Every_problem_response_refers_to_the_one_Problem_schema_with_every_member_the_server_writes()
    {
        var document = await GetDocumentAsync();

        var problems = Operations(document).SelectMany(o => o.Operation.GetProperty("responses").EnumerateObject())
            .Where(r => int.Parse(r.Name, System.Globalization.CultureInfo.InvariantCulture) >= 400)
            .ToList();
        Assert.NotEmpty(problems);
        Assert.All(problems, r => Assert.StartsWith("#/components/responses/", r.Value.GetProperty("$ref").GetString()));
        var components = document.GetProperty("components");
        Assert.All(components.GetProperty("responses").EnumerateObject(), r => Assert.Equal("#/components/schemas/Problem",
            r.Value.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString()));
        var members = components.GetProperty("schemas").GetProperty("Problem").GetProperty("properties").EnumerateObject().Select(p => p.Name);
        Assert.Superset(
            new HashSet<string> { "type", "title", "status", "detail", "code", "trace_id", "errors", "required_scope", "retry_after", "reason", "dimension", "x402Version", "error", "accepts" },
            members.ToHashSet());
    }

    [Fact]
    public async Task Operations_declare_each_status_their_request_path_can_answer()
    {
        var document = await GetDocumentAsync();

        Assert.Equal(["200", "400", "401", "403", "404", "405", "409", "413", "415", "429", "500", "503"],
            Statuses(document, "/api/v1/api-keys/{id}/rotate", "post"));
        Assert.Equal(["200", "400", "401", "402", "403", "405", "429", "500", "502", "503"], Statuses(document, "/api/v1/contacts", "get"));
        Assert.Equal(["200", "400", "401", "405", "413", "415", "429", "500", "503"], Statuses(document, "/api/v1/auth/login", "post"));
        Assert.Equal("#/components/responses/SignInRefused", Response(document, "/api/v1/auth/login", "post", "401").GetProperty("$ref").GetString());
    }

    [Fact]
    public async Task Throttled_created_paid_and_refused_method_answers_declare_their_headers()
    {
        var document = await GetDocumentAsync();

        var components = document.GetProperty("components");
        var throttled = Headers(components.GetProperty("responses").GetProperty("TooManyRequests"));
        Assert.Equal(["RateLimit", "RateLimit-Policy", "Retry-After"], throttled.Keys.Order());
        Assert.Equal(["Allow", "RateLimit", "RateLimit-Policy"], Headers(components.GetProperty("responses").GetProperty("MethodNotAllowed")).Keys.Order());
        Assert.Contains("PAYMENT-REQUIRED", Headers(components.GetProperty("responses").GetProperty("PaymentRequired")).Keys);
        Assert.Contains("Location", Headers(Response(document, "/api/v1/api-keys", "post", "201")).Keys);
        Assert.Contains("Location", Headers(Response(document, "/api/v1/contacts", "post", "201")).Keys);
        Assert.Contains("PAYMENT-RESPONSE", Headers(Response(document, "/api/v1/contacts", "get", "200")).Keys);
        Assert.Contains("RateLimit", Headers(Response(document, "/api/v1/api-keys", "get", "200")).Keys);
        // Required only where the server always sends them.
        var headers = components.GetProperty("headers");
        string[] always = ["Retry-After", "Location", "Allow", "PAYMENT-REQUIRED"];
        Assert.All(headers.EnumerateObject(), h => Assert.Equal(always.Contains(h.Name),
            h.Value.TryGetProperty("required", out var required) && required.GetBoolean()));
    }

    [Fact]
    public async Task Priced_routes_accept_a_payment_or_nothing_and_sessions_need_no_credential()
    {
        var document = await GetDocumentAsync();

        var priced = Security(document.GetProperty("paths").GetProperty("/api/v1/contacts").GetProperty("get"));
        Assert.Contains("", priced);
        Assert.Contains("x402Payment", priced);
        Assert.Contains("apiKeyHeader+pairSecret", priced);
        var unpriced = Security(document.GetProperty("paths").GetProperty("/api/v1/contacts").GetProperty("post"), document);
        Assert.Equal(["apiKeyHeader", "apiKeyHeader+pairSecret", "bearer"], unpriced.Order());
        Assert.Empty(Security(document.GetProperty("paths").GetProperty("/api/v1/auth/login").GetProperty("post")));
        Assert.DoesNotContain("pairKeyId", document.GetProperty("components").GetProperty("securitySchemes").EnumerateObject().Select(s => s.Name));
    }

    [Fact]
    public async Task A_method_a_path_lacks_is_answered_405_problem_with_Allow()
    {
        var response = await app.CreateClient().PutAsync("/api/v1/api-keys", null);

        await response.ShouldBeProblemAsync(HttpStatusCode.MethodNotAllowed, code: "method_not_allowed");
        Assert.Equal(["GET", "POST"], response.Content.Headers.Allow.Where(m => m != "HEAD").Order());
    }

    private async Task<JsonElement> GetDocumentAsync()
    {
        var response = await app.CreateClient().GetAsync("/openapi/v1.json");
        return await response.ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject()
            .Where(o => Methods.Contains(o.Name)).Select(o => (p.Name, o.Name, o.Value)));

    private static JsonElement Response(JsonElement document, string path, string method, string status) =>
        document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses").GetProperty(status);

    private static List<string> Statuses(JsonElement document, string path, string method) =>
        [.. document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses").EnumerateObject().Select(r => r.Name).Order()];

    private static Dictionary<string, JsonElement> Headers(JsonElement response) =>
        response.TryGetProperty("headers", out var headers) ? headers.EnumerateObject().ToDictionary(h => h.Name, h => h.Value) : [];

    /// <summary>Each requirement as its schemes joined with '+' ("" for the empty one); the document's when the operation has none.</summary>
    private static List<string> Security(JsonElement operation, JsonElement? document = null)
    {
        var security = operation.TryGetProperty("security", out var own) ? own : document!.Value.GetProperty("security");
        return [.. security.EnumerateArray().Select(r => string.Join('+', r.EnumerateObject().Select(s => s.Name).Order()))];
    }
}

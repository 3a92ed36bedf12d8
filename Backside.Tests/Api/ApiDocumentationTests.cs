using System.Net;
using System.Text.Json;
using Backside.Tests.Infrastructure;

namespace Backside.Tests.Api;

public class ApiDocumentationTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    [Fact]
    public async Task OpenApi_document_covers_every_v1_endpoint()
    {
        var document = await GetDocumentAsync();

        var paths = document.GetProperty("paths").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateObject().Select(o => o.Name).ToHashSet());
        Assert.Equal(["get", "post"], paths["/api/v1/contacts"].Order());
        Assert.Equal(["delete", "get", "put"], paths["/api/v1/contacts/{id}"].Order());
        Assert.Equal(["get", "post"], paths["/api/v1/api-keys"].Order());
        Assert.Equal(["delete", "get", "patch"], paths["/api/v1/api-keys/{id}"].Order());
        Assert.Contains("post", paths["/api/v1/api-keys/{id}/rotate"]);
        Assert.Contains("post", paths["/api/v1/api-keys/{id}/deactivate"]);
        Assert.Contains("post", paths["/api/v1/api-keys/{id}/activate"]);
        Assert.Contains("get", paths["/api/v1/audit-events"]);
        Assert.DoesNotContain(paths.Keys, p => p.StartsWith("/Account", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenApi_document_declares_the_three_credential_forms()
    {
        var document = await GetDocumentAsync();

        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.Equal("X-API-Key", schemes.GetProperty("apiKeyHeader").GetProperty("name").GetString());
        Assert.Equal("X-Api-Secret", schemes.GetProperty("pairSecret").GetProperty("name").GetString());
        Assert.Equal(3, document.GetProperty("security").GetArrayLength());
    }

    [Fact]
    public async Task OpenApi_operations_document_problem_responses_and_examples()
    {
        var document = await GetDocumentAsync();

        var create = document.GetProperty("paths").GetProperty("/api/v1/api-keys").GetProperty("post");
        var unauthorized = Resolve(document, create.GetProperty("responses").GetProperty("401")).GetProperty("content").GetProperty("application/problem+json");
        Assert.Equal("api_key_revoked", unauthorized.GetProperty("example").GetProperty("code").GetString());
        Assert.True(create.GetProperty("responses").TryGetProperty("429", out _));
        Assert.Equal("CI deploy", create.GetProperty("requestBody").GetProperty("content").GetProperty("application/json")
            .GetProperty("example").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Priced_routes_document_the_402_and_unpriced_ones_do_not()
    {
        var document = await GetDocumentAsync();

        var paths = document.GetProperty("paths");
        var priced = paths.GetProperty("/api/v1/contacts").GetProperty("get").GetProperty("responses");
        Assert.Equal("payment_required", Resolve(document, priced.GetProperty("402")).GetProperty("content").GetProperty("application/problem+json")
            .GetProperty("example").GetProperty("code").GetString());
        Assert.False(paths.GetProperty("/api/v1/contacts").GetProperty("post").GetProperty("responses").TryGetProperty("402", out _));
        Assert.False(paths.GetProperty("/api/v1/api-keys").GetProperty("get").GetProperty("responses").TryGetProperty("402", out _));
    }

    [Fact]
    public async Task OpenApi_operations_do_not_document_the_caller_they_are_answered_for()
    {
        var document = await GetDocumentAsync();

        string[] methods = ["get", "post", "put", "patch", "delete"];
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Where(o => methods.Contains(o.Name)).Select(o => (Method: o.Name, Operation: o.Value)))
            .ToList();
        Assert.NotEmpty(operations);
        var parameterNames = operations
            .SelectMany(o => o.Operation.TryGetProperty("parameters", out var parameters) ? parameters.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .Select(p => p.GetProperty("name").GetString())
            .ToList();
        Assert.DoesNotContain(parameterNames, name => string.Equals(name, "caller", StringComparison.OrdinalIgnoreCase));
        Assert.All(operations.Where(o => o.Method is "get" or "delete"), o => Assert.False(o.Operation.TryGetProperty("requestBody", out _)));
        Assert.False(document.GetProperty("components").GetProperty("schemas").TryGetProperty("Caller", out _));
    }

    [Fact]
    public async Task Scalar_explorer_is_served_in_development()
    {
        var response = await app.CreateClient().GetAsync("/scalar");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Backside API", await response.Content.ReadAsStringAsync());
    }

    /// <summary>The response a <c>$ref</c> to <c>#/components/responses/…</c> names, or the response itself.</summary>
    private static JsonElement Resolve(JsonElement document, JsonElement response) =>
        response.TryGetProperty("$ref", out var reference)
            ? document.GetProperty("components").GetProperty("responses").GetProperty(reference.GetString()!["#/components/responses/".Length..])
            : response;

    private async Task<JsonElement> GetDocumentAsync()
    {
        var response = await app.CreateClient().GetAsync("/openapi/v1.json");
        return await response.ShouldBeJsonAsync(HttpStatusCode.OK);
    }
}

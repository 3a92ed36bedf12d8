using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Backside.Core.ApiKeys;
using Backside.Core.Common;
using Backside.Core.Usage;
using Backside.Tests.Infrastructure;

namespace Backside.Tests.Api;

/// <summary>The document is what a generated client is built from, so it must say what the server accepts and returns.</summary>
public class ApiDocumentContractTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    [Fact]
    public async Task Patch_fields_have_their_value_schema_and_are_nullable_only_where_null_clears()
    {
        var schemas = (await GetDocumentAsync()).GetProperty("components").GetProperty("schemas");

        var patch = schemas.GetProperty("UpdateApiKeyRequest");
        Assert.False(patch.TryGetProperty("required", out _));
        var fields = patch.GetProperty("properties");
        Assert.Equal(["string"], Types(fields.GetProperty("name")));
        Assert.Equal(["array", "null"], Types(fields.GetProperty("scopes")));
        Assert.Equal(["integer", "null"], Types(fields.GetProperty("rate_limit_per_minute")));
        Assert.Equal(["null", "string"], Types(fields.GetProperty("expires_at")));
        Assert.Equal("date-time", fields.GetProperty("expires_at").GetProperty("format").GetString());
        Assert.Equal(["array", "null"], Types(fields.GetProperty("allowed_ips")));
        Assert.Equal(ApiKeyLimits.MaxRateLimitPerMinute, fields.GetProperty("rate_limit_per_minute").GetProperty("maximum").GetInt32());
        Assert.All(fields.EnumerateObject(), f => Assert.StartsWith("Absent: unchanged.", f.Value.GetProperty("description").GetString()));
        Assert.DoesNotContain(schemas.EnumerateObject(), s => s.Name.StartsWith("Optional", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Request_fields_are_required_only_where_the_server_refuses_the_request_without_them()
    {
        var schemas = (await GetDocumentAsync()).GetProperty("components").GetProperty("schemas");

        Assert.Equal(["name"], Required(schemas.GetProperty("CreateApiKeyRequest")));
        Assert.Equal(["name"], Required(schemas.GetProperty("ContactRequest")));
        Assert.Equal(["email", "password"], Required(schemas.GetProperty("LoginRequest")));
        Assert.Empty(Required(schemas.GetProperty("RotateApiKeyRequest")));
        var grace = schemas.GetProperty("RotateApiKeyRequest").GetProperty("properties").GetProperty("grace_period_seconds");
        Assert.Equal((0, ApiKeyLimits.MaxGracePeriodSeconds), (grace.GetProperty("minimum").GetInt32(), grace.GetProperty("maximum").GetInt32()));
    }

    [Fact]
    public async Task Required_request_fields_do_not_admit_null_which_the_server_refuses()
    {
        var schemas = (await GetDocumentAsync()).GetProperty("components").GetProperty("schemas");
        var (client, _, _) = await app.CreateClientWithKeyAsync();

        var response = await client.PostAsync("/api/v1/api-keys", new StringContent("""{"name":null}""", Encoding.UTF8, "application/json"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, code: "validation_failed");
        Assert.Equal(["string"], Types(schemas.GetProperty("CreateApiKeyRequest").GetProperty("properties").GetProperty("name")));
        Assert.Equal(["string"], Types(schemas.GetProperty("ContactRequest").GetProperty("properties").GetProperty("name")));
        Assert.Equal(["string"], Types(schemas.GetProperty("LoginRequest").GetProperty("properties").GetProperty("password")));
        Assert.Equal(["null", "string"], Types(schemas.GetProperty("ContactRequest").GetProperty("properties").GetProperty("email")));
    }

    [Fact]
    public async Task Response_schemas_require_every_property_and_state_constants_and_enums()
    {
        var schemas = (await GetDocumentAsync()).GetProperty("components").GetProperty("schemas");

        var key = schemas.GetProperty("CreatedApiKeyResponse");
        var properties = key.GetProperty("properties");
        Assert.Equal(properties.EnumerateObject().Select(p => p.Name).Order(), Required(key));
        Assert.Equal(["api_key"], properties.GetProperty("object").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["string"], Types(properties.GetProperty("key")));
        Assert.Equal(["null", "string"], Types(properties.GetProperty("last_used_at")));
        Assert.Equal(Enum.GetNames<ApiKeyStatus>().Select(n => n.ToLowerInvariant()),
            Resolve(schemas, properties.GetProperty("status")).GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["live", "test"], properties.GetProperty("environment").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        var changes = Resolve(schemas, schemas.GetProperty("AuditEventResponse").GetProperty("properties").GetProperty("changes"));
        Assert.Equal("object", changes.GetProperty("type").GetString());
    }

    [Fact]
    public async Task No_integer_in_the_document_accepts_a_string()
    {
        var document = await GetDocumentAsync();

        var integerTypes = Descendants(document)
            .Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.Array
                && t.EnumerateArray().Any(x => x.GetString() == "integer"))
            .ToList();
        Assert.NotEmpty(integerTypes);
        Assert.All(integerTypes, e => Assert.DoesNotContain("string", Types(e)));
        Assert.DoesNotContain(Descendants(document), e => e.ValueKind == JsonValueKind.Object
            && e.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "integer" && e.TryGetProperty("pattern", out _));
    }

    [Fact]
    public async Task Every_operation_has_an_id_a_summary_and_a_description_and_lower_case_query_parameters_with_their_ranges()
    {
        var document = await GetDocumentAsync();

        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Route: $"{o.Name} {p.Name}", Operation: o.Value)))
            .ToList();
        Assert.All(operations, o =>
        {
            Assert.False(string.IsNullOrEmpty(o.Operation.GetProperty("operationId").GetString()), o.Route);
            Assert.False(string.IsNullOrEmpty(o.Operation.GetProperty("summary").GetString()), o.Route);
            Assert.False(string.IsNullOrEmpty(o.Operation.GetProperty("description").GetString()), o.Route);
        });
        Assert.Equal(operations.Count, operations.Select(o => o.Operation.GetProperty("operationId").GetString()).Distinct().Count());
        Assert.All(document.GetProperty("tags").EnumerateArray(), t => Assert.False(string.IsNullOrEmpty(t.GetProperty("description").GetString())));

        var queryNames = operations.SelectMany(o => o.Operation.TryGetProperty("parameters", out var ps) ? ps.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()!).ToHashSet();
        Assert.Equal(["environment", "from", "granularity", "key_id", "limit", "q", "starting_after", "status", "to"], queryNames.Order());

        var list = Parameters(document, "/api/v1/api-keys", "get");
        Assert.Equal((1, CursorPaging.MaxLimit), (list["limit"].GetProperty("minimum").GetInt32(), list["limit"].GetProperty("maximum").GetInt32()));
        Assert.Equal(Enum.GetNames<ApiKeyStatus>().Select(n => n.ToLowerInvariant()), list["status"].GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        var usage = Parameters(document, "/api/v1/api-keys/{id}/usage", "get");
        // The attribute lists the names by hand (attributes take constants only): this holds them to Core's enum.
        Assert.Equal(Enum.GetNames<UsageGranularity>().Select(n => n.ToLowerInvariant()), usage["granularity"].GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("date-time", usage["from"].GetProperty("format").GetString());
        var organizationUsage = Parameters(document, "/api/v1/usage", "get");
        Assert.Equal(["environment", "from", "granularity", "to"], organizationUsage.Keys.Order());
        Assert.Equal(Enum.GetNames<UsageGranularity>().Select(n => n.ToLowerInvariant()), organizationUsage["granularity"].GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["live", "test"], organizationUsage["environment"].GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task A_string_where_a_number_belongs_is_a_clear_400()
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync();

        var response = await client.PostAsync("/api/v1/api-keys",
            new StringContent("""{"name":"Numbers as text","rate_limit_per_minute":"5"}""", Encoding.UTF8, "application/json"));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, code: "malformed_request");
        Assert.Contains("rate_limit_per_minute", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Patch_of_a_revoked_key_is_refused_and_changes_nothing()
    {
        var (client, _, owner) = await app.CreateClientWithKeyAsync();
        var target = await app.CreateKeyAsync(owner, name: "Retired");
        await app.RevokeAsync(owner, target.Key.Id);

        var response = await client.PatchAsJsonAsync($"/api/v1/api-keys/{target.Key.Id}", new { name = "Renamed" });

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, code: "api_key_revoked");
        var after = await (await client.GetAsync($"/api/v1/api-keys/{target.Key.Id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Retired", after.GetProperty("name").GetString());
    }

    private static string[] Types(JsonElement schema) => schema.GetProperty("type") switch
    {
        { ValueKind: JsonValueKind.Array } types => types.EnumerateArray().Select(t => t.GetString()!).Order().ToArray(),
        var type => [type.GetString()!],
    };

    private static JsonElement Resolve(JsonElement schemas, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference) ? schemas.GetProperty(reference.GetString()!.Split('/')[^1]) : schema;

    private static string[] Required(JsonElement schema) =>
        schema.TryGetProperty("required", out var required) ? required.EnumerateArray().Select(r => r.GetString()!).Order().ToArray() : [];

    private static Dictionary<string, JsonElement> Parameters(JsonElement document, string path, string method) =>
        document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("parameters").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("schema"));

    private static IEnumerable<JsonElement> Descendants(JsonElement element)
    {
        yield return element;
        var children = element.ValueKind switch
        {
            JsonValueKind.Object => element.EnumerateObject().Select(p => p.Value),
            JsonValueKind.Array => element.EnumerateArray(),
            _ => [],
        };
        foreach (var child in children.SelectMany(Descendants))
            yield return child;
    }

    private async Task<JsonElement> GetDocumentAsync()
    {
        var response = await app.CreateClient().GetAsync("/openapi/v1.json");
        return await response.ShouldBeJsonAsync(HttpStatusCode.OK);
    }
}

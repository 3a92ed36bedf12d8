using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Backside.Core.ApiKeys;
using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Contract;

/// <summary>
/// The validator every factory client carries: on a deliberately broken copy of the document it refuses what the copy
/// no longer declares, on the real document it lets a good response through, and the factories' clients really use it.
/// </summary>
public class OpenApiResponseValidatorTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    private const string Ping = "/api/v1/ping";

    [Fact]
    public async Task A_good_response_passes_the_real_document()
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync(scopes: [Scopes.ContactsRead]);

        var response = await client.GetAsync(Ping);

        await response.ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Empty((await app.ContractAsync()).Check(await ExchangeOfAsync(HttpMethod.Get, Ping, response)));
    }

    [Fact]
    public async Task A_status_the_document_does_not_declare_fails_with_the_request_and_the_declared_statuses()
    {
        var broken = await BrokenAsync(document => Responses(document).Remove("200"));

        var error = await Assert.ThrowsAsync<OpenApiMismatchException>(() => PingThroughAsync(broken));

        Assert.Contains($"GET {Ping} answered 200", error.Message);
        Assert.Contains("status 200 is not declared", error.Message);
        Assert.Contains("body (11 bytes): {\"ok\":true}", error.Message);
    }

    [Fact]
    public async Task A_body_that_breaks_its_schema_fails_with_the_pointer_of_the_wrong_value()
    {
        var broken = await BrokenAsync(document => document["components"]!["schemas"]!["PingResponse"]!["properties"]!["ok"] = new JsonObject { ["type"] = "string" });

        var error = await Assert.ThrowsAsync<OpenApiMismatchException>(() => PingThroughAsync(broken));

        Assert.Contains("body at \"/ok\"", error.Message);
        Assert.Contains("string", error.Message);
    }

    [Fact]
    public async Task A_missing_required_header_fails()
    {
        var broken = await BrokenAsync(document => Responses(document)["200"]!["headers"] = new JsonObject
        {
            ["X-Contract-Probe"] = new JsonObject { ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } },
        });

        var error = await Assert.ThrowsAsync<OpenApiMismatchException>(() => PingThroughAsync(broken));

        Assert.Contains("header X-Contract-Probe is declared required but is missing", error.Message);
    }

    [Fact]
    public async Task A_header_value_that_breaks_its_schema_fails()
    {
        var broken = await BrokenAsync(document => Responses(document)["200"]!["headers"] = new JsonObject
        {
            ["X-Content-Type-Options"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("sniff") } },
        });

        var error = await Assert.ThrowsAsync<OpenApiMismatchException>(() => PingThroughAsync(broken));

        Assert.Contains("header X-Content-Type-Options \"nosniff\"", error.Message);
    }

    [Fact]
    public async Task A_content_type_the_document_does_not_declare_fails()
    {
        var broken = await BrokenAsync(document =>
        {
            var content = Responses(document)["200"]!["content"]!.AsObject();
            var json = content["application/json"]!.DeepClone();
            content.Remove("application/json");
            content["text/plain"] = json;
        });

        var error = await Assert.ThrowsAsync<OpenApiMismatchException>(() => PingThroughAsync(broken));

        Assert.Contains("content type application/json is not declared", error.Message);
    }

    [Fact]
    public async Task An_api_path_no_operation_matches_must_be_refused_with_a_problem()
    {
        var contract = await app.ContractAsync();
        var answered = new ApiExchange("GET", "/api/v1/no-such-thing", 200, new Dictionary<string, string> { ["Content-Type"] = "application/json" }, Encoding.UTF8.GetBytes("{}"));

        var errors = contract.Check(answered);

        Assert.Contains(errors, e => e.Contains("must be refused with a 4xx (or 500) problem, not 200", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("must be application/problem+json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_api_path_answers_a_404_problem_the_validator_accepts()
    {
        var response = await app.CreateClient().GetAsync("/api/v1/no-such-thing");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "route_not_found");
    }

    [Fact]
    public async Task Schemas_are_built_once_per_document_not_per_response()
    {
        var text = await DocumentTextAsync();
        var contract = OpenApiContract.For(text);
        var built = contract.SchemaCount;
        var (client, _, _) = await app.CreateClientWithKeyAsync(scopes: [Scopes.ContactsRead]);

        for (var i = 0; i < 20; i++)
            await client.GetAsync(Ping);

        Assert.Same(contract, OpenApiContract.For(text));
        Assert.Same(contract, await app.ContractAsync());
        Assert.True(built > 0);
        Assert.Equal(built, contract.SchemaCount);
    }

    /// <summary>The wiring: clients from every way a test gets one (here on an app that answers ping out of contract) validate.</summary>
    [Fact]
    public async Task Every_client_the_factory_hands_out_validates_its_api_responses()
    {
        await using var teapot = app.WithWebHostBuilder(builder => builder.ConfigureServices(services =>
            services.AddTransient<IStartupFilter, TeapotPing>()));
        var key = await app.CreateKeyAsync(await app.CreateMemberAsync(), [Scopes.ContactsRead]);

        HttpClient[] clients = [teapot.CreateClient(), teapot.CreateClientWithKey(key.Secret), teapot.CreateDefaultClient(), teapot.CreateClient(new() { AllowAutoRedirect = false })];

        foreach (var client in clients)
        {
            var error = await Assert.ThrowsAsync<OpenApiMismatchException>(() => client.GetAsync(Ping));
            Assert.Contains("status 418 is not declared", error.Message);
        }
        Assert.Equal(HttpStatusCode.OK, (await teapot.CreateClient().GetAsync("/health")).StatusCode);
    }

    private sealed class TeapotPing : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => builder =>
        {
            builder.Use((context, nextStep) =>
            {
                if (context.Request.Path != Ping)
                    return nextStep(context);
                context.Response.StatusCode = StatusCodes.Status418ImATeapot;
                return Task.CompletedTask;
            });
            next(builder);
        };
    }

    private static JsonObject Responses(JsonNode document) => document["paths"]![Ping]!["get"]!["responses"]!.AsObject();

    private async Task<string> DocumentTextAsync() => await app.CreateClient().GetStringAsync("/openapi/v1.json");

    private async Task<OpenApiContract> BrokenAsync(Action<JsonNode> breakIt)
    {
        var document = JsonNode.Parse(await DocumentTextAsync())!;
        breakIt(document);
        return OpenApiContract.Parse(document.ToJsonString());
    }

    /// <summary>A real ping through the real app, checked against <paramref name="contract"/>.</summary>
    private async Task<HttpResponseMessage> PingThroughAsync(OpenApiContract contract)
    {
        var key = await app.CreateKeyAsync(await app.CreateMemberAsync(), [Scopes.ContactsRead]);
        using var client = new HttpClient(new OpenApiResponseValidator(_ => Task.FromResult(contract)) { InnerHandler = app.Server.CreateHandler() })
        {
            BaseAddress = new Uri("http://localhost"),
        };
        client.DefaultRequestHeaders.Authorization = new("Bearer", key.Secret);
        return await client.GetAsync(Ping);
    }

    private static async Task<ApiExchange> ExchangeOfAsync(HttpMethod method, string path, HttpResponseMessage response)
    {
        var headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        return new ApiExchange(method.Method, path, (int)response.StatusCode, headers, await response.Content.ReadAsByteArrayAsync());
    }
}

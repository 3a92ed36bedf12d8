using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Backside.Tests.Payments;

/// <summary>
/// An x402 facilitator on a loopback port: <c>/verify</c>, <c>/settle</c>, <c>/supported</c> with the shapes of
/// docs/x402.md#facilitator. Settlement succeeds unless a test says otherwise; every call is kept for assertions.
/// </summary>
public sealed class FakeFacilitator : IAsyncDisposable
{
    private readonly WebApplication app;

    public enum SettleMode { Succeed, Refuse, Hang, Garbage }

    public SettleMode Settle { get; set; } = SettleMode.Succeed;

    /// <summary>What <c>/verify</c> answers: null for valid, or the <c>invalidReason</c> of a refusal.</summary>
    public string? VerifyRefusal { get; set; }
    public string RefuseReason { get; set; } = "insufficient_funds";
    public List<(string Path, JsonObject Body)> Calls { get; } = [];
    public string Url { get; }

    private FakeFacilitator(WebApplication app, string url)
    {
        this.app = app;
        Url = url;
    }

    public static async Task<FakeFacilitator> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeFacilitator? self = null;
        app.MapPost("/verify", async (HttpContext http) =>
        {
            var body = await Record("verify", http);
            var from = body["paymentPayload"]?["payload"]?["authorization"]?["from"]?.GetValue<string>();
            return self!.VerifyRefusal is { } refusal
                ? Results.Json(new JsonObject { ["isValid"] = false, ["invalidReason"] = refusal, ["payer"] = from })
                : Results.Json(new JsonObject { ["isValid"] = true, ["payer"] = from });
        });
        app.MapPost("/settle", async (HttpContext http) =>
        {
            var body = await Record("settle", http);
            var network = body["paymentRequirements"]?["network"]?.GetValue<string>();
            var from = body["paymentPayload"]?["payload"]?["authorization"]?["from"]?.GetValue<string>();
            switch (self!.Settle)
            {
                case SettleMode.Hang:
                    await Task.Delay(TimeSpan.FromSeconds(30), http.RequestAborted);
                    return Results.StatusCode(504);
                case SettleMode.Garbage:
                    return Results.Text("<html>oops</html>", "text/html", statusCode: 500);
                case SettleMode.Refuse:
                    return Results.Json(new JsonObject
                    {
                        ["success"] = false,
                        ["errorReason"] = self.RefuseReason,
                        ["payer"] = from,
                        ["transaction"] = "",
                        ["network"] = network,
                    });
                default:
                    return Results.Json(new JsonObject
                    {
                        ["success"] = true,
                        ["payer"] = from,
                        ["network"] = network,
                        ["transaction"] = "0x" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
                    });
            }
        });
        app.MapGet("/supported", () => Results.Json(new JsonObject
        {
            ["kinds"] = new JsonArray(
                new JsonObject { ["x402Version"] = 2, ["scheme"] = "exact", ["network"] = "eip155:84532" },
                new JsonObject { ["x402Version"] = 1, ["scheme"] = "exact", ["network"] = "base-sepolia" }),
            ["extensions"] = new JsonArray(),
            ["signers"] = new JsonObject(),
        }));
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new FakeFacilitator(app, url);
        return self;

        async Task<JsonObject> Record(string path, HttpContext http)
        {
            var body = (await System.Text.Json.JsonSerializer.DeserializeAsync<JsonObject>(http.Request.Body))!;
            lock (self!.Calls)
                self.Calls.Add((path, body));
            return body;
        }
    }

    public int CallsTo(string path)
    {
        lock (Calls)
            return Calls.Count(c => c.Path == path);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

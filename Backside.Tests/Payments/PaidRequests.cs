using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Backside.Tests.Payments;

/// <summary>What an x402 client does, with <see cref="TestWallet"/>: ask, read the 402's offers, pay, ask again.</summary>
public static class PaidRequests
{
    public const string Contacts = "/api/v1/contacts";

    public static JsonObject DecodeHeader(HttpResponseMessage response, string name) =>
        JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(response.Headers.GetValues(name).Single())))!.AsObject();

    /// <summary>What a client does first: ask, and read the offers of the 402.</summary>
    public static async Task<(JsonObject V1Body, JsonObject V2Header)> OffersAsync(HttpClient client, HttpMethod method)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(method, Contacts) { Content = method == HttpMethod.Post ? JsonContent.Create(new { name = "x" }) : null });
        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        return (JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject(), DecodeHeader(response, "PAYMENT-REQUIRED"));
    }

    /// <summary>Pays for one request, signing with <paramref name="now"/> as the clock (the app's clock in-process, the real one on Kestrel).</summary>
    public static async Task<HttpResponseMessage> PayAsync(HttpClient client, TestWallet wallet, DateTimeOffset now, int version = 2, HttpMethod? method = null, object? body = null)
    {
        method ??= HttpMethod.Get;
        var (v1, v2) = await OffersAsync(client, method);
        var header = version == 1
            ? wallet.Pay(1, v1["accepts"]![0]!.AsObject(), now)
            : wallet.Pay(2, v2["accepts"]![0]!.AsObject(), now, v2["resource"]!.AsObject());
        var request = new HttpRequestMessage(method, Contacts) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add(version == 1 ? "X-PAYMENT" : "PAYMENT-SIGNATURE", header);
        return await client.SendAsync(request);
    }
}

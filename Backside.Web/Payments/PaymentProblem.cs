using System.Diagnostics;
using System.Text.Json.Nodes;
using Backside.Core.Payments;

namespace Backside.Web.Payments;

/// <summary>The 402 answers: the problem body carries the v1 members, the <c>PAYMENT-REQUIRED</c> header the v2 object.</summary>
public static class PaymentProblem
{
    public static async Task WriteRequiredAsync(HttpContext context, PricedRoute route, PaymentOffers offers, string? reason)
    {
        var http = context.Response;
        var url = X402PaymentMiddleware.ResourceUrl(context.Request);
        var v2 = new JsonObject
        {
            ["x402Version"] = 2,
            ["error"] = reason ?? "Payment required",
            ["resource"] = new JsonObject { ["url"] = url, ["description"] = route.Description, ["mimeType"] = "application/json" },
            ["accepts"] = new JsonArray(offers.V2.Select(o => (JsonNode)o.DeepClone()).ToArray()),
        };
        var code = reason is null ? "payment_required" : "invalid_payment";
        var body = new JsonObject
        {
            ["type"] = Api.ApiProblem.TypeFor(code),
            ["title"] = reason is null ? "Payment required" : "Invalid payment",
            ["status"] = StatusCodes.Status402PaymentRequired,
            ["detail"] = reason is null
                ? $"This request costs {UsdcAmount.Format(route.Price)} USDC. Pay with x402 (PAYMENT-SIGNATURE or X-PAYMENT), or send an API key."
                : $"The payment was refused: {reason}. Sign a new payment for one of the offers.",
            ["code"] = code,
        };
        if (reason is not null)
            body["reason"] = reason;
        body["trace_id"] = Activity.Current?.Id ?? context.TraceIdentifier;
        body["x402Version"] = 1;
        body["error"] = reason ?? "X-PAYMENT header is required";
        body["accepts"] = new JsonArray(offers.V1.Select(o => (JsonNode)o.DeepClone()).ToArray());

        http.StatusCode = StatusCodes.Status402PaymentRequired;
        http.Headers.CacheControl = "no-store";
        http.Headers[X402PaymentMiddleware.PaymentRequiredHeader] = X402PaymentMiddleware.Base64Json(v2);
        http.Headers.AccessControlExposeHeaders = X402PaymentMiddleware.PaymentRequiredHeader;
        http.ContentType = "application/problem+json";
        await http.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    public static Task WriteFacilitatorUnavailableAsync(HttpContext context, string detail) =>
        Api.ApiProblem.WriteAsync(context, Api.ApiProblem.Create(StatusCodes.Status502BadGateway, "facilitator_unavailable",
            "Payment facilitator unavailable", $"{detail} Nothing was charged; try again shortly."));
}

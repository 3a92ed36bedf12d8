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
        var problem = Api.ApiProblem.Create(StatusCodes.Status402PaymentRequired, code,
            reason is null ? "Payment required" : "Invalid payment",
            reason is null
                ? $"This request costs {UsdcAmount.Format(route.Price)} USDC. Pay with x402 (PAYMENT-SIGNATURE or X-PAYMENT), or send an API key."
                : $"The payment was refused: {reason}. Sign a new payment for one of the offers.");
        if (reason is not null)
            problem.Extensions[Api.ApiProblem.ReasonKey] = reason;
        // The v1 members ride in the problem body: a v1 client reads them there.
        problem.Extensions[Api.ApiProblem.X402VersionKey] = 1;
        problem.Extensions[Api.ApiProblem.X402ErrorKey] = reason ?? "X-PAYMENT header is required";
        problem.Extensions[Api.ApiProblem.X402AcceptsKey] = new JsonArray(offers.V1.Select(o => (JsonNode)o.DeepClone()).ToArray());

        http.Headers.CacheControl = "no-store";
        http.Headers[X402PaymentMiddleware.PaymentRequiredHeader] = X402PaymentMiddleware.Base64Json(v2);
        http.Headers.AccessControlExposeHeaders = X402PaymentMiddleware.PaymentRequiredHeader;
        await Api.ApiProblem.WriteAsync(context, problem);
    }

    public static Task WriteFacilitatorUnavailableAsync(HttpContext context, string detail) =>
        Api.ApiProblem.WriteAsync(context, Api.ApiProblem.Create(StatusCodes.Status502BadGateway, "facilitator_unavailable",
            "Payment facilitator unavailable", $"{detail} Nothing was charged; try again shortly."));
}

using Backside.Web.Payments;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Backside.Web.OpenApi;

/// <summary>The headers of the successful answers: the key's budget, the new object's Location, and the x402 receipt.</summary>
public sealed class ResponseHeadersTransformer(PricedRoutes pricedRoutes) : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document ?? throw new InvalidOperationException("The operation has no document to add components to.");
        var route = ApiOperation.Of(context.Description, pricedRoutes);
        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (!status.StartsWith('2'))
                continue;
            if (!route.IsSession)
                ResponseHeaders.AddTo(response, document, ResponseHeaders.RateLimit, ResponseHeaders.RateLimitPolicy);
            if (status == "201")
                ResponseHeaders.AddTo(response, document, ResponseHeaders.Location);
            if (route.IsPriced)
                ResponseHeaders.AddTo(response, document, ResponseHeaders.PaymentResponse, ResponseHeaders.PaymentResponseV1);
        }
        return Task.CompletedTask;
    }
}

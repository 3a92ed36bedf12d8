using Backside.Web.Payments;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Backside.Web.OpenApi;

/// <summary>
/// Declares on each operation every problem status the server can answer it with, as references to the shared
/// responses of <see cref="ProblemResponses"/>.
/// </summary>
public sealed class ProblemResponsesTransformer(PricedRoutes pricedRoutes) : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document ?? throw new InvalidOperationException("The operation has no document to add components to.");
        operation.Responses ??= new OpenApiResponses();
        foreach (var problem in ProblemsOf(ApiOperation.Of(context.Description, pricedRoutes)))
            operation.Responses[problem.StatusCode] = problem.Reference(document);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Read off the request path (Program.cs): the input guard (400 ambiguous credentials, 413, 415) and binding (400) come
    /// first; then the credential rails (401, or 402 on a priced route), the rate limits (429), the authorization (403), the
    /// handler (400, 404, 409) and the exception handler (500, 503). Routing answers 405 on every path for the methods it lacks.
    /// </summary>
    private static IEnumerable<ProblemResponse> ProblemsOf(ApiOperation operation)
    {
        yield return ProblemResponses.BadRequest;
        if (operation.IsSession)
        {
            if (!operation.IsLogout)
                yield return ProblemResponses.SignInRefused;
        }
        else
        {
            yield return ProblemResponses.Unauthorized;
            if (operation.IsPriced)
                yield return ProblemResponses.PaymentRequired;
            yield return ProblemResponses.Forbidden;
        }
        if (operation.CanBeNotFound)
            yield return ProblemResponses.NotFound;
        yield return ProblemResponses.MethodNotAllowed;
        if (operation.WritesKeys || operation.WritesOrganization)
            yield return ProblemResponses.Conflict;
        if (operation.TakesBody)
        {
            yield return ProblemResponses.PayloadTooLarge;
            yield return ProblemResponses.UnsupportedMediaType;
        }
        yield return ProblemResponses.TooManyRequests;
        yield return ProblemResponses.InternalError;
        if (operation.IsPriced)
            yield return ProblemResponses.BadGateway;
        yield return ProblemResponses.ServiceUnavailable;
    }
}

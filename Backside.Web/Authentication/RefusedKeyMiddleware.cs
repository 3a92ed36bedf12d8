using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Backside.Web.Authentication;

/// <summary>
/// A request whose key the key rail refused, sent to an endpoint that requires a caller, gets its 401 here: before
/// the rate limiter and the policy walk, which could only end in the same challenge. Under a credential-stuffing
/// flood every request is such a request. Endpoints that allow anonymous callers go on as before.
/// </summary>
public sealed class RefusedKeyMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context) =>
        context.Features.Get<ApiKeyFeature>() is { IsAccepted: false }
        && context.GetEndpoint() is { } endpoint
        && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null
        && endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null
            ? context.ChallengeAsync()
            : next(context);
}

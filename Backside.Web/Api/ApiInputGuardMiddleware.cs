using Backside.Web.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Backside.Web.Api;

/// <summary>
/// On <c>/api</c>, before authentication: refuses a request that names two credentials (the rails would each pick
/// one, and a bad one must never be ignored) and caps the body so no request makes the server read or parse more
/// than <see cref="ApiOptions.MaxBodyBytes"/>.
/// </summary>
public sealed class ApiInputGuardMiddleware(RequestDelegate next, IOptions<ApiOptions> options)
{
    private readonly long maxBodyBytes = options.Value.MaxBodyBytes;

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        // Two lookups on the common request; the key and secret headers are only looked at next to an Authorization.
        if (headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.Authorization)
            && (headers.ContainsKey(ApiKeyDefaults.HeaderName) || headers.ContainsKey(ApiKeyDefaults.SecretHeaderName)))
            return ApiProblem.WriteAsync(context, AmbiguousCredentials);

        if (context.Request.ContentLength > maxBodyBytes)
            return ApiProblem.WriteAsync(context, PayloadTooLarge());
        // A body without a length (chunked) is cut off by the server once it passes the cap.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = maxBodyBytes;
        return next(context);
    }

    private static Microsoft.AspNetCore.Mvc.ProblemDetails AmbiguousCredentials => ApiProblem.Create(
        StatusCodes.Status400BadRequest, "ambiguous_credentials", "Ambiguous credentials",
        "Send one credential: an Authorization header, or X-API-Key (alone or with X-Api-Secret), not both.");

    private Microsoft.AspNetCore.Mvc.ProblemDetails PayloadTooLarge() => ApiProblem.Create(
        StatusCodes.Status413PayloadTooLarge, "payload_too_large", "Payload too large",
        $"The request body may be at most {maxBodyBytes} bytes.");
}

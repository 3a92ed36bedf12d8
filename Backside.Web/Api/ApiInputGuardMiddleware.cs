using System.Buffers;
using Backside.Web.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Backside.Web.Api;

/// <summary>
/// On <c>/api</c>, before authentication: refuses a request that names two credentials (the rails would each pick
/// one, and a bad one must never be ignored), caps the body so no request makes the server read or parse more
/// than <see cref="ApiOptions.MaxBodyBytes"/>, and refuses a body that says it is not UTF-8.
/// </summary>
public sealed class ApiInputGuardMiddleware(RequestDelegate next, IOptions<ApiOptions> options, RefusalCounter refusals)
{
    private readonly long maxBodyBytes = options.Value.MaxBodyBytes;

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        // Two lookups on the common request; the key and secret headers are only looked at next to an Authorization.
        if (headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.Authorization)
            && (headers.ContainsKey(ApiKeyDefaults.HeaderName) || headers.ContainsKey(ApiKeyDefaults.SecretHeaderName)))
        {
            refusals.Count("ambiguous_credentials");
            return ApiProblem.WriteAsync(context, AmbiguousCredentials);
        }

        var length = context.Request.ContentLength;
        if (length > maxBodyBytes)
            return ApiProblem.WriteAsync(context, PayloadTooLarge());
        var chunked = length is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != false;
        if ((length > 0 || chunked) && !IsUtf8OrUnstated(context.Request.ContentType))
            return ApiProblem.WriteAsync(context, NotUtf8);
        // A body without a length (chunked) is read up to the cap here, on every server alike, so the answer is the
        // same problem+json; requests with a length or without a body pass untouched.
        if (chunked)
            return BufferCappedAsync(context);
        return next(context);
    }

    /// <summary>
    /// JSON is UTF-8 (RFC 8259 §8.1) and <c>application/json</c> defines no charset. The framework reads the body as
    /// UTF-8 only for a missing charset or exactly <c>utf-8</c>; it transcodes other names it knows and throws (a 500)
    /// on the rest, <c>"utf-8"</c> quoted and <c>utf8</c> included. So anything else is refused here.
    /// </summary>
    private static bool IsUtf8OrUnstated(string? contentType) =>
        contentType is null
        || !MediaTypeHeaderValue.TryParse(contentType, out var mediaType) // unparseable: the endpoint answers 415 for it
        || !mediaType.Charset.HasValue
        || mediaType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase);

    private async Task BufferCappedAsync(HttpContext context)
    {
        var body = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (body.Length + read > maxBodyBytes)
                {
                    await ApiProblem.WriteAsync(context, PayloadTooLarge());
                    return;
                }
                body.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        body.Position = 0;
        context.Request.Body = body;
        await next(context);
    }

    private static Microsoft.AspNetCore.Mvc.ProblemDetails AmbiguousCredentials => ApiProblem.Create(
        StatusCodes.Status400BadRequest, "ambiguous_credentials", "Ambiguous credentials",
        "Send one credential: an Authorization header, or X-API-Key (alone or with X-Api-Secret), not both.");

    private static Microsoft.AspNetCore.Mvc.ProblemDetails NotUtf8 => ApiProblem.Create(
        StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Unsupported media type",
        "Send the request body as UTF-8 JSON: Content-Type application/json, without a charset or with charset=utf-8.");

    private Microsoft.AspNetCore.Mvc.ProblemDetails PayloadTooLarge() => ApiProblem.Create(
        StatusCodes.Status413PayloadTooLarge, "payload_too_large", "Payload too large",
        $"The request body may be at most {maxBodyBytes} bytes.");
}

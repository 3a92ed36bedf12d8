using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Backside.Web.Api;

/// <summary>
/// For endpoints that read no body (deactivate, activate, revoke, delete): a body other than none, whitespace or
/// <c>{}</c> is refused, as unknown fields are refused everywhere else, instead of being silently ignored while the
/// action goes ahead.
/// </summary>
public static class NoRequestBody
{
    public static RouteHandlerBuilder TakesNoBody(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(static async (context, next) =>
            await RefusalAsync(context.HttpContext.Request) ?? await next(context));

    private static async Task<IResult?> RefusalAsync(HttpRequest request)
    {
        if (request.ContentLength == 0 || request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false)
            return null;
        // ApiInputGuardMiddleware has capped the body already, so reading it whole is bounded.
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        var body = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (body.IndexOfAnyExcept(" \t\r\n"u8) < 0)
            return null;
        if (!request.HasJsonContentType())
        {
            return TypedResults.Problem(ApiProblem.Create(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type",
                "Unsupported media type", "This endpoint takes no request body; if one is sent, it must be the JSON object {}."));
        }
        return IsEmptyObject(body)
            ? null
            : TypedResults.Problem(ApiProblem.Create(StatusCodes.Status400BadRequest, "malformed_request", "Malformed request",
                "This endpoint takes no request body: send none, or {}."));
    }

    private static bool IsEmptyObject(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject
                && reader.Read() && reader.TokenType == JsonTokenType.EndObject
                && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

using System.Text.Json;
using Backside.Core.Common;
using Microsoft.AspNetCore.Diagnostics;

namespace Backside.Web.Api;

/// <summary>
/// Turns exceptions on <c>/api</c> into problem+json: unreadable input becomes a 4xx that says what was wrong, anything
/// else a 500 with no internals. Stack traces never leave the server.
/// </summary>
public sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!ApiRoutes.IsApiRequest(httpContext))
            return false;

        var problem = exception is BadHttpRequestException bad
            ? bad.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge =>
                    ApiProblem.Create(bad.StatusCode, "payload_too_large", "Payload too large", "The request body is larger than this server accepts."),
                // The same code the framework's own 415 gets, so a client branches on one value.
                StatusCodes.Status415UnsupportedMediaType =>
                    ApiProblem.Create(bad.StatusCode, "unsupported_media_type", "Unsupported media type", "Send the request body as application/json."),
                _ => ApiProblem.Create(bad.StatusCode, "malformed_request", "Malformed request", DescribeBadRequest(bad)),
            }
            : IsDatabaseUnreachable(exception)
                ? ApiProblem.Create(StatusCodes.Status503ServiceUnavailable, "database_unavailable", "Database unavailable",
                    "The database could not be reached. Retry in a few seconds.")
                : ApiProblem.Create(StatusCodes.Status500InternalServerError, "internal_error", "Internal error",
                    "Something went wrong on our side. The request may be retried.");
        if (exception is not BadHttpRequestException)
            Log.Unhandled(logger, exception);

        await ApiProblem.WriteAsync(httpContext, problem);
        return true;
    }

    /// <summary>A failure the provider marks transient (a refused or timed-out connection), however EF wrapped it.</summary>
    private static bool IsDatabaseUnreachable(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is System.Data.Common.DbException { IsTransient: true })
                return true;
        }
        return false;
    }

    private static string DescribeBadRequest(BadHttpRequestException exception) => exception.InnerException switch
    {
        // Shortened: the path holds the member names sent, which may be as long as the body.
        JsonException { Path: { Length: > 0 } path } => $"The request body is not valid JSON for this endpoint: check the value at {ValidationErrors.Quote(path)}.",
        JsonException => "The request body is not valid JSON.",
        _ when exception.Message.Contains("body", StringComparison.OrdinalIgnoreCase) => "The request body is missing or is not valid JSON.",
        _ => "A query or route parameter has an invalid value.",
    };

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Unhandled exception on an API request.")]
        public static partial void Unhandled(ILogger logger, Exception exception);
    }
}

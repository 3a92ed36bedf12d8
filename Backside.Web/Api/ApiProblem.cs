using Backside.Core.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Backside.Web.Api;

/// <summary>
/// RFC 9457 problem details with Backside's stable machine <c>code</c>. Every error the API sends is built here,
/// so clients can branch on <c>code</c> and people can read <c>title</c> and <c>detail</c>.
/// </summary>
public static class ApiProblem
{
    public const string CodeKey = "code";
    public const string RequiredScopeKey = "required_scope";
    public const string DimensionKey = "dimension";

    public static string TypeFor(string code) => $"urn:backside:problem:{code}";

    public static ProblemDetails Create(int status, string code, string title, string? detail)
    {
        var problem = new ProblemDetails { Type = TypeFor(code), Title = title, Status = status, Detail = detail };
        problem.Extensions[CodeKey] = code;
        return problem;
    }

    /// <summary>Writes a problem from middleware or an authentication handler, where there is no endpoint result to return.</summary>
    public static async Task WriteAsync(HttpContext context, ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        var writer = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await writer.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    /// <summary>The 403 for a request the authorization layer refused, with the reason it recorded in the properties.</summary>
    public static ProblemDetails Forbidden(Microsoft.AspNetCore.Authentication.AuthenticationProperties properties)
    {
        var problem = Create(StatusCodes.Status403Forbidden,
            properties.GetString(Authentication.ApiKeyDefaults.ForbiddenCodeItem) ?? "forbidden",
            properties.GetString(Authentication.ApiKeyDefaults.ForbiddenTitleItem) ?? "Forbidden",
            properties.GetString(Authentication.ApiKeyDefaults.ForbiddenDetailItem) ?? "This caller may not perform this action.");
        if (properties.GetString(Authentication.ApiKeyDefaults.RequiredScopeItem) is { } requiredScope)
            problem.Extensions[RequiredScopeKey] = requiredScope;
        return problem;
    }

    /// <summary>Translates a Core <see cref="OperationError"/> into the HTTP answer.</summary>
    public static ProblemHttpResult ToProblem(this OperationError error) => TypedResults.Problem(error.Kind switch
    {
        ErrorKind.Validation => Validation(error),
        ErrorKind.NotFound => Create(StatusCodes.Status404NotFound, error.Code, "Not found", error.Message),
        ErrorKind.Forbidden => Forbidden(error),
        ErrorKind.Conflict => Create(StatusCodes.Status409Conflict, error.Code, "Conflict", error.Message),
        ErrorKind.Unauthenticated => Create(StatusCodes.Status401Unauthorized, error.Code, "Unauthorized", error.Message),
        _ => throw new ArgumentOutOfRangeException(nameof(error), error.Kind, "Unknown error kind."),
    });

    private static HttpValidationProblemDetails Validation(OperationError error)
    {
        var problem = new HttpValidationProblemDetails(error.FieldErrors?.ToDictionary() ?? [])
        {
            Type = TypeFor(error.Code),
            Title = "Validation failed",
            Status = StatusCodes.Status400BadRequest,
            Detail = error.Message,
        };
        problem.Extensions[CodeKey] = error.Code;
        return problem;
    }

    private static ProblemDetails Forbidden(OperationError error)
    {
        var title = error.Code switch
        {
            "insufficient_scope" => "Insufficient scope",
            "privilege_escalation" => "Privilege escalation",
            _ => "Forbidden",
        };
        var problem = Create(StatusCodes.Status403Forbidden, error.Code, title, error.Message);
        if (error.RequiredScope is not null)
            problem.Extensions[RequiredScopeKey] = error.RequiredScope;
        if (error.Dimension is not null)
            problem.Extensions[DimensionKey] = error.Dimension;
        return problem;
    }
}

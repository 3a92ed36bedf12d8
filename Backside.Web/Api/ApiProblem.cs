using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Backside.Core.ApiKeys;
using Backside.Core.Common;
using Backside.Web.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Backside.Web.Api;

/// <summary>
/// RFC 9457 problem details with Backside's stable machine <c>code</c>. Every error the API sends (401, 402, 403,
/// 429 and the rest) is built and written here, by the framework's problem details service (endpoints return the
/// same problems through <c>TypedResults.Problem</c>, which that service writes too), so clients can branch on
/// <c>code</c>, people can read <c>title</c> and <c>detail</c>, and every answer carries <c>trace_id</c>.
/// </summary>
public static class ApiProblem
{
    public const string CodeKey = "code";
    public const string TraceIdKey = "trace_id";
    public const string RetryAfterKey = "retry_after";
    public const string RequiredScopeKey = "required_scope";
    public const string DimensionKey = "dimension";
    public const string RequiredRightKey = "required_right";
    public const string ReasonKey = "reason";
    public const string LimitKey = "limit";
    public const string LimitSourceKey = "limit_source";
    public const string PlanKey = "plan";

    // The x402 v1 members a 402 carries beside the problem's own, named as the protocol spells them.
    public const string X402VersionKey = "x402Version";
    public const string X402ErrorKey = "error";
    public const string X402AcceptsKey = "accepts";

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

    /// <summary>A prepared problem, from its bytes: the same answer the problem details service would write.</summary>
    public static async Task WriteAsync(HttpContext context, PreparedProblem problem)
    {
        var traceId = Activity.Current?.Id ?? context.TraceIdentifier;
        var response = context.Response;
        response.StatusCode = problem.Status;
        response.ContentType = "application/problem+json";
        response.ContentLength = problem.Prefix.Length + Encoding.UTF8.GetByteCount(traceId) + PreparedProblem.Suffix.Length;
        var body = response.BodyWriter;
        body.Write(problem.Prefix);
        Encoding.UTF8.GetBytes(traceId, body);
        body.Write(PreparedProblem.Suffix);
        await body.FlushAsync(context.RequestAborted);
    }

    /// <summary>A 429 of one of the budgets: <c>retry_after</c> in the body, <c>Retry-After</c> in the headers.</summary>
    public static ProblemDetails RateLimited(HttpContext context, string title, string detail, int retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        var problem = Create(StatusCodes.Status429TooManyRequests, "rate_limited", title, detail);
        problem.Extensions[RetryAfterKey] = retryAfterSeconds;
        return problem;
    }

    /// <summary>
    /// The 429 of a key's per-minute budget: a <see cref="RateLimited"/> that names the limit it hit (<c>limit</c>), where
    /// that limit comes from (<c>limit_source</c>) and the organization's plan (<c>plan</c>).
    /// </summary>
    public static ProblemDetails KeyRateLimited(HttpContext context, EffectiveRateLimit limit, int retryAfterSeconds)
    {
        var problem = RateLimited(context, "Rate limit exceeded",
            $"{limit.Describe()} was reached. Try again in {retryAfterSeconds} seconds.", retryAfterSeconds);
        problem.Extensions[LimitKey] = limit.PerMinute;
        problem.Extensions[LimitSourceKey] = limit.Source.Name();
        problem.Extensions[PlanKey] = limit.Plan;
        return problem;
    }

    /// <summary>The 403 for a request an <c>/api/v1</c> requirement refused, with the reason it gave.</summary>
    public static ProblemDetails Forbidden(ApiForbiddenReason reason)
    {
        var problem = Create(StatusCodes.Status403Forbidden, reason.Code, reason.Title, reason.Message);
        if (reason.RequiredScope is not null)
            problem.Extensions[RequiredScopeKey] = reason.RequiredScope;
        return problem;
    }

    /// <summary>A forbid no requirement explained (the rails' own forbid): nothing more to say.</summary>
    public static ProblemDetails Forbidden() =>
        Create(StatusCodes.Status403Forbidden, "forbidden", "Forbidden", "This caller may not perform this action.");

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
            "insufficient_role" => "Insufficient role",
            "two_factor_required" => "Two-factor authentication required",
            _ => "Forbidden",
        };
        var problem = Create(StatusCodes.Status403Forbidden, error.Code, title, error.Message);
        if (error.RequiredScope is not null)
            problem.Extensions[RequiredScopeKey] = error.RequiredScope;
        if (error.Dimension is not null)
            problem.Extensions[DimensionKey] = error.Dimension;
        if (error.RequiredRight is not null)
            problem.Extensions[RequiredRightKey] = error.RequiredRight;
        return problem;
    }
}

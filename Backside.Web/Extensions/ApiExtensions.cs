using System.Text.Json;
using System.Text.Json.Serialization;
using Backside.Web.Api;
using Backside.Web.Authentication;
using Backside.Web.Authorization;
using Backside.Web.RateLimiting;
using Backside.Web.Redis;
using Backside.Web.Usage;
using Microsoft.AspNetCore.Http.Json;

namespace Backside.Web.Extensions;

public static class ApiExtensions
{
    /// <summary>snake_case JSON that refuses unknown fields, and problem+json with a <c>code</c> for every error.</summary>
    public static WebApplicationBuilder AddBacksideApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.ConfigureHttpJsonOptions(options => ConfigureJson(options.SerializerOptions));
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        // Binding failures become exceptions so ApiExceptionHandler can say what was wrong, in every environment.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddProblemDetails(options => options.CustomizeProblemDetails = AddCode);
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddOptions<SharedRateLimitOptions>().BindConfiguration(SharedRateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        // With Redis every instance spends from one budget per key; without it, each instance keeps its own.
        var redis = builder.Configuration.GetSection(RedisOptions.SectionName).Get<RedisOptions>() ?? new RedisOptions();
        if (redis.IsConfigured)
            services.AddSingleton<IApiKeyRateLimiter, RedisApiKeyRateLimiter>();
        else
            services.AddSingleton<IApiKeyRateLimiter, InMemoryApiKeyRateLimiter>();
        return builder;
    }

    public static void ConfigureJson(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        // The web defaults read "5" as 5; a number is a number, so the document can say integer and mean it.
        json.NumberHandling = JsonNumberHandling.Strict;
        // With duplicates allowed the last one wins, so {"scopes":[…],"scopes":null} would read as full access.
        json.AllowDuplicateProperties = false;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        json.Converters.Add(new OptionalJsonConverterFactory());
    }

    /// <summary>
    /// On <c>/api</c>, around everything after it: every request made with a known key is counted by its final status
    /// (outside the error handlers, so a 500 counts as a 500).
    /// </summary>
    public static WebApplication UseBacksideUsageCounting(this WebApplication app)
    {
        app.UseWhen(ApiRoutes.IsApiRequest, api => api.UseMiddleware<ApiKeyUsageMiddleware>());
        return app;
    }

    /// <summary>On <c>/api</c>: exceptions and empty error responses (404 route, 405 method) become problem+json.</summary>
    public static WebApplication UseBacksideApiErrors(this WebApplication app)
    {
        app.UseWhen(ApiRoutes.IsApiRequest, api => api.UseExceptionHandler().UseStatusCodePages());
        return app;
    }

    /// <summary>On <c>/api</c>, before any credential is read: one credential per request, and a capped UTF-8 body.</summary>
    public static WebApplication UseBacksideInputGuard(this WebApplication app)
    {
        app.UseWhen(ApiRoutes.IsApiRequest, api => api.UseMiddleware<ApiInputGuardMiddleware>());
        return app;
    }

    /// <summary>
    /// On <c>/api</c>, after authentication: a key the key rail refused gets its 401 here, before the rate limiter and
    /// the policies, which could only end in the same challenge.
    /// </summary>
    public static WebApplication UseRefusedKeyAnswer(this WebApplication app)
    {
        app.UseWhen(ApiRoutes.IsApiRequest, api => api.UseMiddleware<RefusedKeyMiddleware>());
        return app;
    }

    /// <summary>On <c>/api</c>, before authorization: the key's per-minute budget and its RateLimit headers.</summary>
    public static WebApplication UseBacksideRateLimits(this WebApplication app)
    {
        app.UseWhen(ApiRoutes.IsApiRequest, api => api.UseMiddleware<ApiKeyRateLimitMiddleware>());
        return app;
    }

    /// <summary>Every <c>/api/v1</c> endpoint; each requires an authenticated API caller, most a scope as well.</summary>
    public static WebApplication MapBacksideApi(this WebApplication app)
    {
        var v1 = app.MapGroup(ApiRoutes.V1).RequireAuthorization(ScopePolicies.ApiCaller);
        v1.MapAuthEndpoints();
        v1.MapContactEndpoints();
        v1.MapApiKeyEndpoints();
        v1.MapAuditEventEndpoints();
        v1.MapUsageEndpoints();
        v1.MapInvitationEndpoints();
        v1.MapMemberEndpoints();
        v1.MapOrganizationEndpoints();
        return app;
    }

    /// <summary>Problems written by the framework (404, 405, 415 …) get a code too, from their status.</summary>
    private static void AddCode(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Extensions.ContainsKey(ApiProblem.CodeKey))
            return;
        var code = problem.Status switch
        {
            StatusCodes.Status400BadRequest => "malformed_request",
            StatusCodes.Status401Unauthorized => "missing_credentials",
            StatusCodes.Status403Forbidden => "forbidden",
            StatusCodes.Status404NotFound => "route_not_found",
            StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
            StatusCodes.Status413PayloadTooLarge => "payload_too_large",
            StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
            _ => "internal_error",
        };
        problem.Extensions[ApiProblem.CodeKey] = code;
        problem.Type = ApiProblem.TypeFor(code);
    }
}

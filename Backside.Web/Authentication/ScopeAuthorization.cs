using Backside.Core.ApiKeys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Backside.Web.Authentication;

/// <summary>Why an API request was forbidden, in the words the 403 problem will use.</summary>
public sealed class ApiForbiddenReason(IAuthorizationHandler handler, string code, string title, string detail, string? requiredScope = null)
    : AuthorizationFailureReason(handler, detail)
{
    public string Code { get; } = code;
    public string Title { get; } = title;
    public string? RequiredScope { get; } = requiredScope;
}

/// <summary>Why the current request was forbidden, for handlers whose forbid does not receive the properties.</summary>
public sealed record ApiForbiddenFeature(AuthenticationProperties Properties);

/// <summary>
/// The caller must hold <see cref="Scope"/>, directly or through the write scope of its domain. Like the framework's
/// own requirements it is its own handler, run by the pass-through handler; it implements the handler interface
/// directly and judges only itself, so a request does not walk the policy's requirements once per requirement type.
/// </summary>
public sealed class ScopeRequirement(string scope) : IAuthorizationHandler, IAuthorizationRequirement
{
    public string Scope { get; } = scope;

    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        if (context.User.HasScope(Scope))
            context.Succeed(this);
        else
            context.Fail(new ApiForbiddenReason(this, "insufficient_scope", "Insufficient scope",
                $"This action requires the {Scope} scope.", Scope));
        return Task.CompletedTask;
    }
}

/// <summary>
/// The base requirement of <c>/api/v1</c>: an authenticated caller (key or access token) and, for a key, its IP and
/// referrer allowlists, checked on every request it makes. One requirement instead of the framework's
/// deny-anonymous plus a restrictions requirement: every API request runs it. Its own handler, as above.
/// </summary>
public sealed class ApiCallerRequirement : IAuthorizationHandler, IAuthorizationRequirement
{
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        // Not succeeding leaves the requirement pending: an anonymous caller is challenged (401), as with deny-anonymous.
        if (context.User.Identity is not { IsAuthenticated: true } || context.Resource is not HttpContext http)
            return Task.CompletedTask;
        if (http.Features.Get<ApiKeyFeature>() is not { IsAccepted: true, Key: { } key })
        {
            // Not a key (a signed-in user's access token): there are no key restrictions to apply.
            context.Succeed(this);
            return Task.CompletedTask;
        }

        if (RestrictionRefusing(key, http) is { } reason)
            context.Fail(reason);
        else
            context.Succeed(this);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Whether the key's IP and referrer allowlists admit this request. The rate limiter asks too, before it spends
    /// the key's budget: a leaked restricted key used from elsewhere must not hold its owner at 429.
    /// </summary>
    public static bool AllowlistsAdmit(ApiKeyCredential key, HttpContext http) =>
        ApiKeyRestrictions.IsIpAllowed(key.AllowedNetworks, http.Connection.RemoteIpAddress)
        && ApiKeyRestrictions.IsReferrerAllowed(key.AllowedReferrers, Referrer(http));

    private ApiForbiddenReason? RestrictionRefusing(ApiKeyCredential key, HttpContext http)
    {
        // ForwardedHeaders has already replaced the address with the client's when the proxy is trusted.
        var address = http.Connection.RemoteIpAddress;
        if (!ApiKeyRestrictions.IsIpAllowed(key.AllowedNetworks, address))
        {
            return new ApiForbiddenReason(this, "ip_not_allowed", "IP address not allowed",
                $"This API key may not be used from {address?.ToString() ?? "an unknown address"}.");
        }

        return ApiKeyRestrictions.IsReferrerAllowed(key.AllowedReferrers, Referrer(http))
            ? null
            : new ApiForbiddenReason(this, "referrer_not_allowed", "Referrer not allowed",
                "This API key may only be used from the sites in its referrer allowlist.");
    }

    private static string? Referrer(HttpContext http) =>
        http.Request.Headers.Referer.FirstOrDefault() ?? http.Request.Headers.Origin.FirstOrDefault();
}

/// <summary>
/// Policies of <c>/api/v1</c>: a base policy for every caller, and one per catalog scope. They name no scheme: the
/// authentication middleware has already run the request's rail through the default scheme, and naming a scheme
/// would make the policy evaluator authenticate again and build a second principal.
/// </summary>
public static class ScopePolicies
{
    /// <summary>The base policy of <c>/api/v1</c>: an authenticated caller (key or access token) whose key restrictions allow this request.</summary>
    public const string ApiCaller = "api-caller";

    public static string NameFor(string scope) => $"scope:{scope}";

    public static void AddScopePolicies(this AuthorizationOptions options)
    {
        options.AddPolicy(ApiCaller, policy => policy.AddRequirements(new ApiCallerRequirement()));
        // Scope policies sit on endpoints under the base policy, which already requires an authenticated caller.
        foreach (var scope in Scopes.All)
            options.AddPolicy(NameFor(scope), policy => policy.AddRequirements(new ScopeRequirement(scope)));
    }

    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(NameFor(scope)).WithMetadata(new RequiredScopeMetadata(scope));
}

/// <summary>The scope an endpoint requires, for usage tracking to read without parsing policy names per request.</summary>
public sealed record RequiredScopeMetadata(string Scope);

/// <summary>
/// Passes the recorded reason of a forbidden API request (missing scope, IP, referrer) to the default scheme's
/// forbid, which the key rail forwards to the rail that authenticated the request, so the 403 says what was wrong.
/// Everything else goes to the framework's default behaviour.
/// </summary>
public sealed class ApiAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var reason = authorizeResult.Forbidden
            ? authorizeResult.AuthorizationFailure?.FailureReasons.OfType<ApiForbiddenReason>().FirstOrDefault()
            : null;
        if (reason is null)
        {
            await fallback.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var properties = new AuthenticationProperties();
        properties.SetString(ApiKeyDefaults.ForbiddenCodeItem, reason.Code);
        properties.SetString(ApiKeyDefaults.ForbiddenTitleItem, reason.Title);
        properties.SetString(ApiKeyDefaults.ForbiddenDetailItem, reason.Message);
        properties.SetString(ApiKeyDefaults.RequiredScopeItem, reason.RequiredScope);
        // JwtBearer's forbid does not pass properties on to its event; the request carries them too.
        context.Features.Set(new ApiForbiddenFeature(properties));
        await context.ForbidAsync(properties);
    }
}

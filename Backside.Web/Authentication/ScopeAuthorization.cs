using Backside.Core.ApiKeys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Backside.Web.Authentication;

/// <summary>The caller must hold <see cref="Scope"/>, directly or through the write scope of its domain.</summary>
public sealed record ScopeRequirement(string Scope) : IAuthorizationRequirement;

public sealed class ScopeAuthorizationHandler : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (context.User.GetScopes().Allows(requirement.Scope))
            context.Succeed(requirement);
        return Task.CompletedTask;
    }
}

/// <summary>One authorization policy per catalog scope, so endpoints say <c>.RequireScope(Scopes.ContactsRead)</c>.</summary>
public static class ScopePolicies
{
    /// <summary>The base policy of <c>/api/v1</c>: an authenticated API caller, whatever its scopes.</summary>
    public const string ApiCaller = "api-caller";

    public static string NameFor(string scope) => $"scope:{scope}";

    public static void AddScopePolicies(this AuthorizationOptions options)
    {
        options.AddPolicy(ApiCaller, policy => policy
            .AddAuthenticationSchemes(ApiKeyDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser());
        foreach (var scope in Scopes.All)
        {
            options.AddPolicy(NameFor(scope), policy => policy
                .AddAuthenticationSchemes(ApiKeyDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .AddRequirements(new ScopeRequirement(scope)));
        }
    }

    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(NameFor(scope));
}

/// <summary>
/// When a request is forbidden for lack of a scope, passes the scope to the handler's forbid, so the 403 names it.
/// Everything else goes to the framework's default behaviour.
/// </summary>
public sealed class ScopeAwareAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var missing = authorizeResult.Forbidden
            ? authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().FirstOrDefault()
            : null;
        if (missing is null)
        {
            await fallback.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var properties = new AuthenticationProperties();
        properties.Items[ApiKeyDefaults.RequiredScopeItem] = missing.Scope;
        foreach (var scheme in policy.AuthenticationSchemes)
            await context.ForbidAsync(scheme, properties);
    }
}

using Backside.Core.ApiKeys;
using Microsoft.AspNetCore.Authorization;

namespace Backside.Web.Authorization;

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

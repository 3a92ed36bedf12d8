using Backside.Core.ApiKeys;
using Backside.Web.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Backside.Web.Authorization;

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

using Backside.Web.Api;
using Microsoft.AspNetCore.Identity;

namespace Backside.Web.Authentication;

/// <summary>
/// How a request finds its scheme. The key rail is the default scheme, so a keyed API request is authenticated by
/// one handler, once, on the hot path; it hands everything that is not its own to the scheme that owns it: pages to
/// the dashboard's cookie, a bearer token that is not a key to the access-token rail. A credential that is present
/// but bad is refused by its own rail and never falls through to another.
/// </summary>
public static class ApiAuthenticationDefaults
{
    public const string JwtScheme = "Jwt";

    /// <summary>The scheme the key rail forwards this request to, or null when the request is the key rail's own.</summary>
    public static string? ForwardFromKeyRail(HttpContext context)
    {
        if (!ApiRoutes.IsApiRequest(context))
            return IdentityConstants.ApplicationScheme;
        var authorization = context.Request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        return authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase)
               && !authorization.AsSpan(bearer.Length).TrimStart().StartsWith(ApiKeyDefaults.TokenPrefix, StringComparison.Ordinal)
            ? JwtScheme
            : null;
    }
}

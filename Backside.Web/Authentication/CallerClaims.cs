using System.Globalization;
using System.Security.Claims;
using Backside.Core.ApiKeys;
using Backside.Core.Identity;

namespace Backside.Web.Authentication;

/// <summary>The claims that describe an API caller, and the per-request scope check.</summary>
public static class CallerClaims
{
    /// <summary>The claims of a key or wallet <paramref name="caller"/>, issued to <paramref name="subject"/>.</summary>
    public static List<Claim> For(Caller caller, ClaimsIdentity subject)
    {
        var claims = new List<Claim> { Issue(ClaimTypes.NameIdentifier, caller.ActorId, subject) };
        if (caller.Key is { } key)
            claims.Add(Issue(BacksideClaimTypes.ApiKeyId, key.Id, subject));
        if (caller.Kind == CallerKind.Wallet)
            claims.Add(Issue(BacksideClaimTypes.Wallet, caller.ActorId, subject));
        claims.Add(Issue(BacksideClaimTypes.OrganizationId, caller.OrganizationId, subject));
        claims.Add(Issue(BacksideClaimTypes.Livemode, caller.Livemode ? "true" : "false", subject));
        if (caller.Key?.ExpiresAt is { } expiresAt)
            claims.Add(Issue(BacksideClaimTypes.KeyExpiresAt, expiresAt.ToString("O", CultureInfo.InvariantCulture), subject));
        claims.AddRange(ScopeClaims(caller.Scopes, subject));
        return claims;
    }

    /// <summary>
    /// The one place scope claims are written, for keys, wallets and access tokens alike: one claim per scope held,
    /// or a single <see cref="BacksideClaimTypes.FullAccess"/> claim for full access.
    /// </summary>
    public static IEnumerable<Claim> ScopeClaims(ScopeSet scopes, ClaimsIdentity? subject = null) =>
        scopes.Values is null
            ? [Issue(BacksideClaimTypes.Scope, BacksideClaimTypes.FullAccess, subject)]
            : scopes.Values.Select(scope => Issue(BacksideClaimTypes.Scope, scope, subject));

    /// <summary>The per-request scope check: the scopes of the caller the request was authenticated as.</summary>
    public static bool HasScope(this ClaimsPrincipal principal, string required) =>
        principal.Identity is CallerIdentity identity && identity.Caller.Scopes.Allows(required);

    private static Claim Issue(string type, string value, ClaimsIdentity? subject) =>
        new(type, value, ClaimValueTypes.String, ClaimsIdentity.DefaultIssuer, ClaimsIdentity.DefaultIssuer, subject);
}

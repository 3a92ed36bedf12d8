using System.Globalization;
using System.Security.Claims;
using Backside.Core.ApiKeys;
using Backside.Core.Identity;

namespace Backside.Web.Authentication;

/// <summary>
/// The identity of an authenticated key. Its claims are made on first read: the checks on the hot path (scope,
/// restrictions) read the key itself, so a keyed request that never asks for claims never allocates them.
/// </summary>
public sealed class ApiKeyIdentity(ApiKeyCredential key, string authenticationType) : ClaimsIdentity(authenticationType)
{
    private List<Claim>? keyClaims;

    public ApiKeyCredential Key { get; } = key;

    public override IEnumerable<Claim> Claims => (keyClaims ??= CallerClaims.For(Key, this)).Concat(base.Claims);
}

/// <summary>Converts between an authenticated key and the claims of its <see cref="ClaimsPrincipal"/>.</summary>
public static class CallerClaims
{
    /// <summary>The claims of <paramref name="key"/>, issued to <paramref name="subject"/>.</summary>
    public static List<Claim> For(ApiKeyCredential key, ClaimsIdentity subject)
    {
        var claims = new List<Claim>
        {
            Issue(ClaimTypes.NameIdentifier, key.Id),
            Issue(BacksideClaimTypes.ApiKeyId, key.Id),
            Issue(BacksideClaimTypes.OrganizationId, key.OrganizationId),
            Issue(BacksideClaimTypes.Livemode, key.Livemode ? "true" : "false"),
        };
        if (key.ExpiresAt is { } expiresAt)
            claims.Add(Issue(BacksideClaimTypes.KeyExpiresAt, expiresAt.ToString("O", CultureInfo.InvariantCulture)));
        claims.AddRange(key.Scopes.Values is null
            ? [Issue(BacksideClaimTypes.Scope, BacksideClaimTypes.FullAccess)]
            : key.Scopes.Values.Select(scope => Issue(BacksideClaimTypes.Scope, scope)));
        return claims;

        Claim Issue(string type, string value) =>
            new(type, value, ClaimValueTypes.String, ClaimsIdentity.DefaultIssuer, ClaimsIdentity.DefaultIssuer, subject);
    }

    /// <summary>The per-request scope check: a key's own scope set, or the scope claims of a token or wallet.</summary>
    public static bool HasScope(this ClaimsPrincipal principal, string required)
    {
        if (principal.Identity is ApiKeyIdentity keyIdentity)
            return keyIdentity.Key.Scopes.Allows(required);
        foreach (var claim in principal.FindAll(BacksideClaimTypes.Scope))
        {
            if (claim.Value == BacksideClaimTypes.FullAccess || Scopes.Implies(claim.Value, required))
                return true;
        }
        return false;
    }

    public static ScopeSet GetScopes(this ClaimsPrincipal principal)
    {
        var scopes = principal.FindAll(BacksideClaimTypes.Scope).Select(c => c.Value).ToList();
        return scopes.Contains(BacksideClaimTypes.FullAccess) ? ScopeSet.Full : ScopeSet.Of(scopes);
    }

    /// <summary>The Core caller behind an authenticated API request, with the client's address for the audit trail.</summary>
    public static Caller ToCaller(this HttpContext context) =>
        context.User.ToCaller() with
        {
            Client = new ClientInfo(context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.FirstOrDefault()),
        };

    public static Caller ToCaller(this ClaimsPrincipal principal)
    {
        // A key caller carries the key itself: its power bounds what it may create or change.
        if (principal.Identity is ApiKeyIdentity keyIdentity)
            return Caller.ForKey(keyIdentity.Key);
        var organizationId = principal.FindFirstValue(BacksideClaimTypes.OrganizationId)
            ?? throw new InvalidOperationException("The request is not authenticated as an API caller.");
        if (principal.FindFirstValue(BacksideClaimTypes.Wallet) is { } wallet)
        {
            // A paying wallet: its own organization, the paid endpoint's scope, live on mainnet only.
            return new Caller(organizationId, CallerKind.Wallet, wallet, principal.GetScopes(),
                principal.FindFirstValue(BacksideClaimTypes.Livemode) == "true");
        }
        // An access token: the user acts in live mode with the scopes their role grants.
        return new Caller(organizationId, CallerKind.User, principal.FindFirstValue("sub")!, principal.GetScopes(), Livemode: true);
    }
}

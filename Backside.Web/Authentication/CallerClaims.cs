using System.Globalization;
using System.Security.Claims;
using Backside.Core.ApiKeys;
using Backside.Core.Identity;

namespace Backside.Web.Authentication;

/// <summary>Converts between an authenticated key and the claims of its <see cref="ClaimsPrincipal"/>.</summary>
public static class CallerClaims
{
    public static ClaimsIdentity ToIdentity(ApiKeyCredential key, string authenticationType)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, key.Id),
            new(BacksideClaimTypes.ApiKeyId, key.Id),
            new(BacksideClaimTypes.OrganizationId, key.OrganizationId),
            new(BacksideClaimTypes.Livemode, key.Livemode ? "true" : "false"),
        };
        if (key.ExpiresAt is { } expiresAt)
            claims.Add(new(BacksideClaimTypes.KeyExpiresAt, expiresAt.ToString("O", CultureInfo.InvariantCulture)));
        claims.AddRange(key.Scopes.Values is null
            ? [new Claim(BacksideClaimTypes.Scope, BacksideClaimTypes.FullAccess)]
            : key.Scopes.Values.Select(scope => new Claim(BacksideClaimTypes.Scope, scope)));
        return new ClaimsIdentity(claims, authenticationType);
    }

    /// <summary>The per-request scope check, straight on the claims (no set is built).</summary>
    public static bool HasScope(this ClaimsPrincipal principal, string required)
    {
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
        var organizationId = principal.FindFirstValue(BacksideClaimTypes.OrganizationId)
            ?? throw new InvalidOperationException("The request is not authenticated as an API caller.");
        if (principal.FindFirstValue(BacksideClaimTypes.Wallet) is { } wallet)
        {
            // A paying wallet: its own organization, the paid endpoint's scope, live on mainnet only.
            return new Caller(organizationId, CallerKind.Wallet, wallet, principal.GetScopes(),
                principal.FindFirstValue(BacksideClaimTypes.Livemode) == "true");
        }
        var keyId = principal.FindFirstValue(BacksideClaimTypes.ApiKeyId);
        if (keyId is null)
        {
            // An access token: the user acts in live mode with the scopes their role grants.
            return new Caller(organizationId, CallerKind.User, principal.FindFirstValue("sub")!, principal.GetScopes(), Livemode: true);
        }
        var expiresAt = principal.FindFirstValue(BacksideClaimTypes.KeyExpiresAt);
        return new Caller(
            organizationId,
            CallerKind.ApiKey,
            keyId,
            principal.GetScopes(),
            principal.FindFirstValue(BacksideClaimTypes.Livemode) == "true",
            expiresAt is null ? null : DateTimeOffset.Parse(expiresAt, CultureInfo.InvariantCulture));
    }
}

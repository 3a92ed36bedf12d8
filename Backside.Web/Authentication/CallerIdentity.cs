using System.Security.Claims;
using Backside.Core.Identity;

namespace Backside.Web.Authentication;

/// <summary>
/// The identity of an authenticated API caller, carrying the <see cref="Core.Identity.Caller"/> its rail built once
/// for the request (a key, an access token, a paying wallet). Endpoints take that Caller as a parameter and the
/// scope check reads its scopes, so nothing is rebuilt from claims. Claims made from the caller (keys, wallets) are
/// made on first read: a keyed request that never asks for claims never allocates them.
/// </summary>
public sealed class CallerIdentity : ClaimsIdentity
{
    private readonly bool claimsIssued;
    private List<Claim>? callerClaims;

    /// <summary>A caller whose claims are made from it on first read.</summary>
    public CallerIdentity(Caller caller, string authenticationType) : base(authenticationType) => Caller = caller;

    /// <summary>A caller whose claims were issued with its credential (an access token), kept as they came.</summary>
    public CallerIdentity(Caller caller, ClaimsIdentity issued) : base(issued)
    {
        Caller = caller;
        claimsIssued = true;
    }

    public Caller Caller { get; }

    /// <summary>Whether the claims were asked for (a test holds the hot path to never asking).</summary>
    public bool ClaimsMade => callerClaims is not null;

    public override IEnumerable<Claim> Claims =>
        claimsIssued ? base.Claims : (callerClaims ??= CallerClaims.For(Caller, this)).Concat(base.Claims);

    /// <summary>The caller of an authenticated API request; endpoints receive it as a <see cref="Core.Identity.Caller"/> parameter.</summary>
    public static Caller Of(HttpContext? context) =>
        context?.User.Identity is CallerIdentity identity
            ? identity.Caller
            : throw new InvalidOperationException("The request is not authenticated as an API caller.");

    /// <summary>Where the request came from, for the audit trail.</summary>
    public static ClientInfo ClientOf(HttpContext context)
    {
        var userAgent = context.Request.Headers.UserAgent;
        return new ClientInfo(context.Connection.RemoteIpAddress?.ToString(), userAgent.Count > 0 ? userAgent[0] : null);
    }
}

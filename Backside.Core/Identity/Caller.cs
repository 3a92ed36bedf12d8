using Backside.Core.ApiKeys;
using Backside.Core.Organizations;
using Backside.Core.Payments;

namespace Backside.Core.Identity;

/// <summary>Where a request came from, for the audit trail.</summary>
public sealed record ClientInfo(string? IpAddress, string? UserAgent);

public enum CallerKind
{
    User,
    ApiKey,

    /// <summary>A wallet paying per request with x402; its actor id is the payer's address.</summary>
    Wallet,
}

/// <summary>
/// Who is acting, in which organization, with which rights. Built once per request by the rail that authenticated
/// it, with one of the factories below (the dashboard builds one from the signed-in member); Core services take it
/// and never look at HTTP. <see cref="Key"/> is the key a key caller authenticated with (its power bounds what it may
/// create or change); people act with their <see cref="Role"/>'s rights (<see cref="OrganizationRoles"/>).
/// </summary>
public sealed record Caller(
    string OrganizationId,
    CallerKind Kind,
    string ActorId,
    ScopeSet Scopes,
    bool Livemode,
    ApiKeyCredential? Key = null,
    ClientInfo? Client = null,
    OrganizationRole? Role = null)
{
    /// <summary>A request authenticated by <paramref name="key"/>: it acts in the key's organization and mode, with the key's power.</summary>
    public static Caller ForKey(ApiKeyCredential key, ClientInfo? client = null) =>
        new(key.OrganizationId, CallerKind.ApiKey, key.Id, key.Scopes, key.Livemode, key, client);

    /// <summary>A person acting with their membership's role.</summary>
    public static Caller ForMember(Membership membership, string userId, ClientInfo? client = null) =>
        ForMember(membership.OrganizationId, membership.Role, userId, client);

    /// <summary>
    /// A person acting in <paramref name="organizationId"/> with <paramref name="role"/>'s scopes, always in live mode
    /// (they see both modes' keys; the role's rights decide which they may change).
    /// </summary>
    public static Caller ForMember(string organizationId, OrganizationRole role, string userId, ClientInfo? client = null) =>
        new(organizationId, CallerKind.User, userId, OrganizationRoles.ScopesOf(role), Livemode: true, Client: client, Role: role);

    /// <summary>
    /// A wallet that paid for this request (x402): it acts in its own organization with exactly the scope the paid
    /// endpoint requires (none when the endpoint requires none), on live data when it paid on mainnet and on test data
    /// on a testnet, as keys do.
    /// </summary>
    public static Caller ForWallet(string organizationId, string payer, X402Network network, string? paidScope, ClientInfo? client = null) =>
        new(organizationId, CallerKind.Wallet, payer, ScopeSet.Of(paidScope is null ? [] : [paidScope]),
            Livemode: network == X402Network.Base, Client: client);

    public bool IsApiKey => Kind == CallerKind.ApiKey;
}

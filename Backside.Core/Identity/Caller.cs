using Backside.Core.ApiKeys;
using Backside.Core.Organizations;

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
/// Who is acting, in which organization, with which rights. The dashboard builds one from the signed-in member, the
/// API from the authenticated key; Core services take it and never look at HTTP. <see cref="Key"/> is the key a key
/// caller authenticated with (its power bounds what it may create or change); people act with their role's rights.
/// </summary>
public sealed record Caller(
    string OrganizationId,
    CallerKind Kind,
    string ActorId,
    ScopeSet Scopes,
    bool Livemode,
    ApiKeyCredential? Key = null,
    ClientInfo? Client = null)
{
    /// <summary>A request authenticated by <paramref name="key"/>: it acts in the key's organization and mode, with the key's power.</summary>
    public static Caller ForKey(ApiKeyCredential key, ClientInfo? client = null) =>
        new(key.OrganizationId, CallerKind.ApiKey, key.Id, key.Scopes, key.Livemode, key, client);

    /// <summary>Owners and Admins manage everything; Members read.</summary>
    public static Caller ForMember(Membership membership, string userId, ClientInfo? client = null) =>
        new(membership.OrganizationId, CallerKind.User, userId,
            membership.Role == OrganizationRole.Member ? ScopeSet.ReadOnly : ScopeSet.Full,
            Livemode: true, Client: client);

    public bool IsApiKey => Kind == CallerKind.ApiKey;
}

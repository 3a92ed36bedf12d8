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
/// API from the authenticated key; Core services take it and never look at HTTP.
/// </summary>
public sealed record Caller(
    string OrganizationId,
    CallerKind Kind,
    string ActorId,
    ScopeSet Scopes,
    bool Livemode,
    DateTimeOffset? KeyExpiresAt = null,
    ClientInfo? Client = null)
{
    /// <summary>Owners and Admins manage everything; Members read.</summary>
    public static Caller ForMember(Membership membership, string userId, ClientInfo? client = null) =>
        new(membership.OrganizationId, CallerKind.User, userId,
            membership.Role == OrganizationRole.Member ? ScopeSet.ReadOnly : ScopeSet.Full,
            Livemode: true, Client: client);

    public bool IsApiKey => Kind == CallerKind.ApiKey;
}

namespace Backside.Web.Authentication;

/// <summary>Claims that describe an API caller; <see cref="CallerClaims"/> writes them from a Core <c>Caller</c>.</summary>
public static class BacksideClaimTypes
{
    public const string OrganizationId = "backside:org_id";
    public const string ApiKeyId = "backside:key_id";
    public const string Livemode = "backside:livemode";
    public const string KeyExpiresAt = "backside:key_expires_at";

    /// <summary>On a paying wallet's principal (x402): the payer's address.</summary>
    public const string Wallet = "backside:wallet";

    /// <summary>
    /// On access tokens: the user's role in the organization when the token was issued (Owner, Admin, Developer,
    /// Viewer), for clients to read; requests act with the role read afresh from the database.
    /// </summary>
    public const string Role = "backside:role";

    /// <summary>On access tokens: a digest of the account's security stamp at issue; a security change ends the token.</summary>
    public const string SecurityStampDigest = "backside:sst";

    /// <summary>One claim per scope held; a full-access key carries <see cref="FullAccess"/> instead.</summary>
    public const string Scope = "scope";
    public const string FullAccess = "*";
}

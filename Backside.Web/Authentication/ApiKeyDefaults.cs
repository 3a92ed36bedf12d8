namespace Backside.Web.Authentication;

/// <summary>Names used by the API key authentication scheme.</summary>
public static class ApiKeyDefaults
{
    public const string AuthenticationScheme = "ApiKey";

    /// <summary>The header form of the credential; <c>Authorization: Bearer bsk_…</c> is the other.</summary>
    public const string HeaderName = "X-API-Key";

    /// <summary>With <see cref="HeaderName"/> carrying the key id, this header carries the secret (the pair form).</summary>
    public const string SecretHeaderName = "X-Api-Secret";

    /// <summary>Every API key starts with this, which tells a key apart from other bearer tokens.</summary>
    public const string TokenPrefix = "bsk_";

    /// <summary>The realm in <c>WWW-Authenticate</c> challenges.</summary>
    public const string Realm = "Backside API";

}

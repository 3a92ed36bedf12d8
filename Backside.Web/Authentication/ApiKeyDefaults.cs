namespace Backside.Web.Authentication;

/// <summary>Names used by the API key authentication scheme.</summary>
public static class ApiKeyDefaults
{
    public const string AuthenticationScheme = "ApiKey";

    /// <summary>The header form of the credential; <c>Authorization: Bearer bsk_…</c> is the other.</summary>
    public const string HeaderName = "X-API-Key";

    /// <summary>Every API key starts with this, which tells a key apart from other bearer tokens.</summary>
    public const string TokenPrefix = "bsk_";

    /// <summary>The realm in <c>WWW-Authenticate</c> challenges.</summary>
    public const string Realm = "Backside API";

    /// <summary>The <see cref="Microsoft.AspNetCore.Authentication.AuthenticationProperties"/> item that carries the scope a forbidden request lacked.</summary>
    public const string RequiredScopeItem = "backside:required_scope";
}

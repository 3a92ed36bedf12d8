namespace Backside.Web.Authentication;

/// <summary>
/// The schemes of <c>/api/v1</c>. <see cref="Scheme"/> picks the rail from the request's shape, so a credential
/// that is present but bad is refused by its own rail and never falls through to another.
/// </summary>
public static class ApiAuthenticationDefaults
{
    public const string Scheme = "Api";
    public const string JwtScheme = "Jwt";

    public static string SelectRail(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        return authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase)
               && !authorization.AsSpan(bearer.Length).TrimStart().StartsWith(ApiKeyDefaults.TokenPrefix, StringComparison.Ordinal)
            ? JwtScheme
            : ApiKeyDefaults.AuthenticationScheme;
    }
}

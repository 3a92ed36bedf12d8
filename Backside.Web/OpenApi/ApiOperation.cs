using Backside.Web.Api;
using Backside.Web.Payments;
using Microsoft.AspNetCore.Mvc.ApiExplorer;

namespace Backside.Web.OpenApi;

/// <summary>What the document needs to know of an operation to say what it can answer and who may call it.</summary>
public readonly record struct ApiOperation(string Method, string Path, bool IsPriced)
{
    private const string SessionsPrefix = ApiRoutes.V1 + "/auth/";

    public static ApiOperation Of(ApiDescription description, PricedRoutes pricedRoutes)
    {
        var method = description.HttpMethod?.ToUpperInvariant() ?? "GET";
        var path = "/" + (description.RelativePath ?? "").Trim('/');
        return new ApiOperation(method, path, pricedRoutes.IsPriced(method, path));
    }

    /// <summary>Where credentials come from: no key, no scope, and sign-in's own refusals.</summary>
    public bool IsSession => Path.StartsWith(SessionsPrefix, StringComparison.Ordinal);

    /// <summary>Logout answers 204 whatever token it is given, so a stolen or stale one learns nothing.</summary>
    public bool IsLogout => Path == SessionsPrefix + "logout";

    public bool HasId => Path.Contains("{id}", StringComparison.Ordinal);

    /// <summary>An object named in the path (<c>{id}</c>, <c>{user_id}</c>) or the body (the member ownership goes to) may not exist: 404.</summary>
    public bool CanBeNotFound => Path.Contains('{', StringComparison.Ordinal) || Path == ApiRoutes.V1 + "/organization/transfer-ownership";

    /// <summary>The methods a body may come with; endpoints that take none still refuse one that is not <c>{}</c>.</summary>
    public bool TakesBody => Method is "POST" or "PUT" or "PATCH" or "DELETE";

    /// <summary>Key writes are audited on the organization's chain and refuse a revoked key: they can answer 409.</summary>
    public bool WritesKeys => Method != "GET" && Path.StartsWith("/api/v1/api-keys", StringComparison.Ordinal);

    /// <summary>
    /// Member, invitation and organization writes are audited on the chain too, and refuse what the state forbids (the
    /// last Owner, a pending invitation): they can answer 409.
    /// </summary>
    public bool WritesOrganization => Method != "GET"
        && (Path.StartsWith(ApiRoutes.V1 + "/members", StringComparison.Ordinal)
            || Path.StartsWith(ApiRoutes.V1 + "/invitations", StringComparison.Ordinal)
            || Path == ApiRoutes.V1 + "/organization" || Path.StartsWith(ApiRoutes.V1 + "/organization/", StringComparison.Ordinal));
}

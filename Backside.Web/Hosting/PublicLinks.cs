using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Backside.Web.Hosting;

/// <summary>
/// Absolute links to pages of this app, for emails and the Development-only links on pages. They start with
/// <c>App:PublicBaseUrl</c>; without it (Development) with the address the server listens on.
/// </summary>
public sealed class PublicLinks(IOptions<AppOptions> options, IServer server)
{
    public const string AuditLogPath = "settings/audit-log";
    public const string ForgotPasswordPath = "Account/ForgotPassword";
    public const string ApiKeysPath = "settings/api-keys";

    /// <summary>The base, ending in '/', so relative paths land under a base that has a path of its own.</summary>
    public Uri BaseUri
    {
        get
        {
            var baseUri = options.Value.PublicBaseUri ?? ListeningAddress();
            return baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
        }
    }

    /// <summary><paramref name="path"/> (relative, such as <c>Account/ConfirmEmail</c>) with the query's non-null values.</summary>
    public string To(string path, IEnumerable<KeyValuePair<string, string?>>? query = null)
    {
        var url = new Uri(BaseUri, path.TrimStart('/')).AbsoluteUri;
        return query is null ? url : QueryHelpers.AddQueryString(url, query.Where(p => p.Value is not null));
    }

    /// <summary>
    /// The server's own address, https preferred; a wildcard host becomes <c>localhost</c>. The in-memory test
    /// server lists none, so <c>http://localhost</c>.
    /// </summary>
    private Uri ListeningAddress()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            ?? addresses.FirstOrDefault()
            ?? "http://localhost";
        foreach (var wildcard in (string[])["://+", "://*", "://[::]", "://0.0.0.0"])
            address = address.Replace(wildcard, "://localhost", StringComparison.Ordinal);
        return new Uri(address);
    }
}

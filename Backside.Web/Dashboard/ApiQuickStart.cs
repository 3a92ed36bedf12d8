using Backside.Web.Hosting;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace Backside.Web.Dashboard;

/// <summary>
/// Where people reach the API and its reference, and the first request to send with a new key: what the reveal and
/// the keys page show. The lines are built while the reveal renders and kept nowhere.
/// </summary>
public sealed class ApiQuickStart(IOptions<AppOptions> app, NavigationManager navigation, IHostEnvironment environment)
{
    /// <summary>The keyed endpoint the lines call: cheap, and answers <c>{"ok":true}</c> for a key that may read contacts.</summary>
    public const string PingPath = "api/v1/ping";

    /// <summary>
    /// <c>App:PublicBaseUrl</c> when set (the address integrations use), else the origin this page was loaded from;
    /// always ending in '/', so a base with a path of its own keeps it.
    /// </summary>
    public Uri BaseUri
    {
        get
        {
            var baseUri = app.Value.PublicBaseUri ?? new Uri(navigation.BaseUri);
            return baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
        }
    }

    /// <summary>The explorer (Scalar) where it runs, Development; elsewhere the OpenAPI document it reads.</summary>
    public string ApiReferenceUrl => new Uri(BaseUri, environment.IsDevelopment() ? "scalar" : "openapi/v1.json").AbsoluteUri;

    public string Curl(string secret) => $"curl -H \"Authorization: Bearer {secret}\" {new Uri(BaseUri, PingPath).AbsoluteUri}";

    /// <summary>The typed client (README, "The .NET client"): its base is the API's root, without the trailing '/'.</summary>
    public string CSharp(string secret) =>
        $"using var backside = new BacksideClient(\"{secret}\", new Uri(\"{BaseUri.AbsoluteUri.TrimEnd('/')}\"));\n"
        + "var ping = await backside.Api.V1.Ping.GetAsync();";
}

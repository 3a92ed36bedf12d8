using System.Security.Cryptography;
using Backside.Web.Api;
using Backside.Web.Authentication;
using Microsoft.Net.Http.Headers;

namespace Backside.Web.Security;

/// <summary>
/// Headers every response carries (nosniff, no referrer, a content security policy) and <c>Cache-Control: no-store</c>
/// on responses that carry a secret or answer a credentialed <c>/api</c> request. Set when the response starts, so
/// they hold for problem responses, static files and the dashboard alike.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    /// <summary>The API returns JSON only: nothing in it may load or frame anything.</summary>
    private const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        var isApi = ApiRoutes.IsApiRequest(context);
        var credentialed = isApi && IsCredentialed(context.Request);
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            // Scalar (Development only) loads its explorer from a CDN; it is a developer's tool, not the dashboard.
            if (!context.Request.Path.StartsWithSegments("/scalar"))
            {
                headers.ContentSecurityPolicy = isApi ? ApiPolicy
                    : context.Features.Get<CspNonceFeature>() is { } page ? DashboardPolicy(page.Nonce)
                    : DashboardPolicy(nonce: null);
            }
            if (credentialed || context.GetEndpoint()?.Metadata.GetMetadata<SecretResponseMetadata>() is not null)
            {
                headers.CacheControl = "no-store";
                headers.Pragma = "no-cache";
            }
            return Task.CompletedTask;
        });
        return next(context);
    }

    /// <summary>
    /// The dashboard: scripts from this origin plus the framework's inline import map (by nonce); inline styles are
    /// allowed because MudBlazor sets <c>style</c> attributes; Blazor Server's websocket is same-origin; QR codes and
    /// MudBlazor's icons use data: images.
    /// </summary>
    private static string DashboardPolicy(string? nonce) =>
        nonce is null
            ? NoInlineScriptPolicy
            : $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; {PolicyAfterScripts}";

    private const string PolicyAfterScripts =
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>What responses that render no page get (health, static files, redirects): no nonce to make.</summary>
    private const string NoInlineScriptPolicy = "default-src 'self'; script-src 'self'; " + PolicyAfterScripts;

    /// <summary>
    /// The script nonce of this response, made the first time a page asks (App.razor puts it on the import map), so
    /// responses that render no page pay nothing for it.
    /// </summary>
    public static string NonceFor(HttpContext context)
    {
        if (context.Features.Get<CspNonceFeature>() is { } existing)
            return existing.Nonce;
        var feature = new CspNonceFeature(NewNonce());
        context.Features.Set(feature);
        return feature.Nonce;
    }

    private sealed record CspNonceFeature(string Nonce);

    private static bool IsCredentialed(HttpRequest request) =>
        request.Headers.ContainsKey(HeaderNames.Authorization)
        || request.Headers.ContainsKey(ApiKeyDefaults.HeaderName)
        || request.Headers.ContainsKey(ApiKeyDefaults.SecretHeaderName)
        || request.Headers.ContainsKey(HeaderNames.Cookie);

    // Hex, so the attribute needs no HTML encoding.
    private static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}

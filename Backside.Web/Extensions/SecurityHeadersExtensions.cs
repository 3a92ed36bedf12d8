using Backside.Web.Security;

namespace Backside.Web.Extensions;

public static class SecurityHeadersExtensions
{
    /// <summary>No <c>Server</c> header: it tells a scanner what to try and no client needs it.</summary>
    public static WebApplicationBuilder AddBacksideSecurityHeaders(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        return builder;
    }

    /// <summary>nosniff, no referrer and a content security policy everywhere; no-store where a secret or a credential is involved.</summary>
    public static WebApplication UseBacksideSecurityHeaders(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeadersMiddleware>();
        return app;
    }
}

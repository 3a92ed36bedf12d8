using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Backside.Tests.Api;

/// <summary>The app behind one trusted reverse proxy at 10.0.0.1.</summary>
public sealed class ProxiedAppFactory : BacksideAppFactory
{
    public const string TrustedProxy = "10.0.0.1";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("ReverseProxy:TrustedProxies:0", TrustedProxy);
    }
}

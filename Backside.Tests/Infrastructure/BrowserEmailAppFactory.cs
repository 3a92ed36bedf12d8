using System.Net;
using Microsoft.AspNetCore.Hosting;

namespace Backside.Tests.Infrastructure;

/// <summary>
/// <see cref="BrowserAppFactory"/> and <see cref="EmailAppFactory"/> in one: the app on Kestrel for a real browser,
/// with the real clock, and mail going to the run's real SMTP server. Links in mail stay on
/// <see cref="EmailAppFactory.PublicBaseUrl"/> (the port is only known once the server starts); a test opens them on
/// this server with <see cref="EmailAppFactory.OnThisApp"/>.
/// </summary>
public sealed class BrowserEmailAppFactory : EmailAppFactory
{
    public BrowserEmailAppFactory() => UseKestrel(options => options.Listen(IPAddress.Loopback, 0));

    protected override bool UseFakeTime => false;

    protected override TimeSpan UsageFlushInterval => TimeSpan.FromMilliseconds(200);

    /// <summary>Starts the server once and returns its address, such as <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl => KestrelAddress();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // The browser and the API client reach Kestrel by its loopback address.
        builder.UseSetting("AllowedHosts", "localhost;127.0.0.1");
    }
}

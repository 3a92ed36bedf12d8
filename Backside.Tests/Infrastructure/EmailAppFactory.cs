using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Backside.Tests.Infrastructure;

/// <summary>
/// The app with mail going to the run's real SMTP server (<see cref="SmtpTestServer"/>), links on a public base URL
/// that is not the test client's host, and every log entry kept in <see cref="Logs"/>.
/// </summary>
public class EmailAppFactory : BacksideAppFactory
{
    public const string PublicBaseUrl = "https://backside.example";

    public SmtpTestServer Mail => SmtpTestServer.Shared;

    public LogCapture Logs { get; } = new();

    protected virtual int SmtpPort => Mail.Port;

    protected virtual string? SmtpPassword => null;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Email:Smtp:Host", "127.0.0.1");
        builder.UseSetting("Email:Smtp:Port", SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Email:Smtp:UseTls", "false");
        builder.UseSetting("Email:Smtp:From", "Backside <no-reply@backside.test>");
        if (SmtpPassword is not null)
        {
            builder.UseSetting("Email:Smtp:Username", "backside");
            builder.UseSetting("Email:Smtp:Password", SmtpPassword);
        }
        builder.UseSetting("App:PublicBaseUrl", PublicBaseUrl);
        // The test client's host is allowed besides the public one, as a health probe's would be.
        builder.UseSetting("AllowedHosts", "localhost");
        builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(Logs));
    }

    /// <summary>A path and query of the app from an absolute link in a mail, after checking it is on the public base URL.</summary>
    public static string OnThisApp(string link)
    {
        Assert.StartsWith(PublicBaseUrl + "/", link);
        return new Uri(link).PathAndQuery;
    }
}

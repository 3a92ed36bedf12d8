using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Backside.Tests.Infrastructure;

/// <summary>
/// The app as deployed (Production, the log levels of appsettings.json as shipped), every line it logs kept in
/// <see cref="Logs"/>.
/// </summary>
public sealed class ShippedLoggingAppFactory : BacksideAppFactory
{
    public LogCapture Logs { get; } = new();

    /// <summary>Keeps every line down to Trace instead, whatever the shipped levels say: for looking for secrets in all of it.</summary>
    public bool CaptureEverything { get; init; }

    protected override bool UseShippedLogLevels => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<ILoggerProvider>(Logs);
            // A rule for one provider takes precedence over the configuration's rules, which name none.
            if (CaptureEverything)
                services.AddLogging(logging => logging.AddFilter<LogCapture>(null, LogLevel.Trace));
        });
    }
}

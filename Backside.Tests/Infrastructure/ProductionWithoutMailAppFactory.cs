using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Backside.Tests.Infrastructure;

/// <summary>The app as deployed (Production) with no SMTP server configured, its log kept in <see cref="Logs"/>.</summary>
public sealed class ProductionWithoutMailAppFactory : BacksideAppFactory
{
    public LogCapture Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
        builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(Logs));
    }
}

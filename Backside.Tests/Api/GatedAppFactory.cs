using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Api;

/// <summary>The app with a <see cref="WriteGate"/> on its DbContext.</summary>
public sealed class GatedAppFactory : BacksideAppFactory
{
    public WriteGate Gate { get; } = new();

    public ReadGate Reads { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<IInterceptor>(Gate);
            services.AddSingleton<IInterceptor>(Reads);
        });
    }
}

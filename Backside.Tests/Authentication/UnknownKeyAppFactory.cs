using System.Globalization;
using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Backside.Tests.Authentication;

/// <summary>The app with tight unknown-key limits: five lookups that find nothing per address a minute, ten remembered.</summary>
public sealed class UnknownKeyAppFactory : BacksideAppFactory
{
    public const int PerAddress = 5;
    public const int Remembered = 10;

    protected override int UnknownKeyLookupsPerAddress => PerAddress;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("ApiKeys:UnknownKeys:CacheEntries", Remembered.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("ApiKeys:UnknownKeys:CacheLifetime", "00:00:30");
    }
}

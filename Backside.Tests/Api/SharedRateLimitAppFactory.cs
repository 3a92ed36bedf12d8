using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Backside.Tests.Api;

/// <summary>One instance of a scaled-out deployment: the app on a shared database file and a shared Redis prefix.</summary>
public sealed class SharedRateLimitAppFactory(string databasePath, string redisConfiguration, string keyPrefix, params (string Key, string Value)[] settings)
    : BacksideAppFactory(TestDatabase.OnSqliteFile(databasePath), ownsDatabase: false)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // The multiplexer's own 500 ms is raised too: one slow answer on a busy machine would otherwise leave the
        // instance on its own budget for good, since the retry interval runs on the test's frozen clock.
        builder.UseSetting("Redis:Configuration", redisConfiguration + ",asyncTimeout=5000");
        builder.UseSetting("Redis:KeyPrefix", keyPrefix);
        // A busy test machine can stall a round trip past the shipped 250 ms, which would make budgets per instance.
        builder.UseSetting("RateLimits:RedisTimeout", "00:00:05");
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
    }
}

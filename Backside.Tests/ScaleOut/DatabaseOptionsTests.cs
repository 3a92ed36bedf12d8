using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;

namespace Backside.Tests.ScaleOut;

/// <summary>Database settings that cannot work stop the app at start, with the setting named.</summary>
public class DatabaseOptionsTests
{
    [Fact]
    public async Task An_unknown_provider_stops_the_start_naming_the_two_it_runs_on()
    {
        var message = await StartFailureAsync(("Database:Provider", "Oracle"));

        Assert.Contains("Database:Provider is 'Oracle'", message);
        Assert.Contains("'Sqlite' (the default) or 'Postgres'", message);
    }

    [Fact]
    public async Task Postgres_without_a_connection_string_stops_the_start_saying_so()
    {
        var message = await StartFailureAsync(("Database:Provider", "Postgres"), ("ConnectionStrings:Backside", ""));

        Assert.Contains("ConnectionStrings:Backside is not set", message);
    }

    private static async Task<string> StartFailureAsync(params (string Key, string Value)[] settings)
    {
        await using var app = new ConfiguredAppFactory(settings);
        var failure = Assert.ThrowsAny<Exception>(() => app.Services);
        var validation = failure as OptionsValidationException ?? failure.InnerException as OptionsValidationException;
        Assert.True(validation is not null, $"Expected an options validation failure, got {failure}");
        return validation.Message;
    }

    private sealed class ConfiguredAppFactory((string Key, string Value)[] settings) : BacksideAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            foreach (var (key, value) in settings)
                builder.UseSetting(key, value);
        }
    }
}

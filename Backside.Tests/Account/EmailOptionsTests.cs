using System.Net;
using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;

namespace Backside.Tests.Account;

/// <summary>Mail settings that cannot work stop the app at start, with the setting named.</summary>
public class EmailOptionsTests
{
    private static async Task<string> StartFailureAsync(string environment, params (string Key, string Value)[] settings)
    {
        await using var app = new ConfiguredAppFactory(environment, settings);
        var failure = Assert.ThrowsAny<Exception>(() => app.Services);
        var validation = failure as OptionsValidationException ?? failure.InnerException as OptionsValidationException;
        Assert.True(validation is not null, $"Expected an options validation failure, got {failure}");
        return validation.Message;
    }

    [Fact]
    public async Task Outside_Development_SMTP_without_a_public_base_url_is_refused()
    {
        var message = await StartFailureAsync("Production",
            ("Email:Smtp:Host", "127.0.0.1"), ("Email:Smtp:From", "no-reply@backside.test"));

        Assert.Contains("App:PublicBaseUrl is required", message);
    }

    [Theory]
    [InlineData("Email:Smtp:From", "not an address", "Email:Smtp:From")]
    [InlineData("Email:Smtp:Username", "only-a-user", "Username and Email:Smtp:Password go together")]
    [InlineData("Email:Smtp:Port", "70000", "Port")]
    [InlineData("App:PublicBaseUrl", "backside.example", "App:PublicBaseUrl")]
    [InlineData("App:PublicBaseUrl", "ftp://backside.example", "App:PublicBaseUrl")]
    [InlineData("App:PublicBaseUrl", "https://backside.example/?next=evil", "App:PublicBaseUrl")]
    public async Task A_mail_setting_that_cannot_work_is_named_on_start(string key, string value, string expected)
    {
        (string, string)[] settings = [("Email:Smtp:Host", "127.0.0.1"), ("Email:Smtp:From", "no-reply@backside.test"),
            ("App:PublicBaseUrl", "https://backside.example"), (key, value)];

        Assert.Contains(expected, await StartFailureAsync("Development", settings));
    }

    [Fact]
    public async Task A_public_base_url_makes_its_host_the_only_allowed_one()
    {
        await using var app = new ConfiguredAppFactory("Development", [("App:PublicBaseUrl", "https://backside.example/")]);

        var onPublicHost = await app.CreateClient(new() { BaseAddress = new Uri("https://backside.example") }).GetAsync("/health");
        var onOtherHost = await app.CreateClient(new() { BaseAddress = new Uri("https://attacker.example") }).GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, onPublicHost.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, onOtherHost.StatusCode);
    }

    private sealed class ConfiguredAppFactory(string environment, (string Key, string Value)[] settings) : BacksideAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment(environment);
            foreach (var (key, value) in settings)
                builder.UseSetting(key, value);
        }
    }
}

using System.Net;
using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Backside.Tests.Security;

/// <summary>
/// The app as deployed, with one test-only failure: any request no endpoint answers under <see cref="ThrowingPath"/>
/// throws inside the app's pipeline, as a failing page or API handler would.
/// </summary>
public sealed class ThrowingRequestAppFactory : BacksideAppFactory
{
    public const string ThrowingPath = "/test-throws";

    public LogCapture Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<ILoggerProvider>(Logs);
            services.AddTransient<IStartupFilter, ThrowAfterEndpoints>();
        });
    }

    /// <summary>Runs after the app's endpoints, so inside every error handler the app installs.</summary>
    private sealed class ThrowAfterEndpoints : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Use((context, nextMiddleware) => context.Request.Path.Value?.EndsWith(ThrowingPath, StringComparison.Ordinal) == true
                ? throw new InvalidOperationException("Test failure.")
                : nextMiddleware(context));
        };
    }
}

/// <summary>An exception on the dashboard renders the Error page; on the API it stays a problem.</summary>
public class ErrorPageTests(ThrowingRequestAppFactory app) : IClassFixture<ThrowingRequestAppFactory>
{
    [Fact]
    public async Task An_exception_on_a_dashboard_request_renders_the_error_page_with_the_security_headers_and_logs_once()
    {
        var before = app.Logs.Entries.Count(e => e.Level >= LogLevel.Error);

        var response = await app.CreateClient().GetAsync(ThrowingRequestAppFactory.ThrowingPath);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("An error occurred while processing your request.", await response.Content.ReadAsStringAsync());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal(1, app.Logs.Entries.Count(e => e.Level >= LogLevel.Error) - before);
    }

    [Fact]
    public async Task An_exception_on_an_api_request_is_still_answered_with_problem_json()
    {
        var response = await app.CreateClient().GetAsync("/api/v1" + ThrowingRequestAppFactory.ThrowingPath);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

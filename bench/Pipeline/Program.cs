using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The app's whole middleware pipeline called in a loop on one thread, without sockets: what each path costs in the
/// app itself, which the network benchmark cannot separate from the kernel's share.
/// </summary>
static class PipelineBench
{
    static async Task<int> Main(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: Pipeline <database file> <key> [rounds] [requests per load]");
            return 2;
        }
        var (database, key) = (args[0], args[1]);
        var rounds = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 6;
        var requests = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 30_000;

        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseEnvironment("Production")
            .UseSetting("ConnectionStrings:Backside", $"Data Source={database}")
            .UseSetting("Usage:FlushInterval", "00:10:00")
            // As when published: without the static-asset development fallback, which looks for a file on every GET.
            .UseSetting("ReloadStaticAssetsAtRuntime", "false")
            .ConfigureServices(services => services.AddTransient<IStartupFilter, PipelineCapture>()));
        _ = factory.Services; // builds and starts the app, which hands its pipeline to PipelineCapture
        var pipeline = PipelineCapture.Pipeline ?? throw new InvalidOperationException("The pipeline was not captured.");
        var scopes = factory.Services.GetRequiredService<IServiceScopeFactory>();

        Scenario[] scenarios =
        [
            new("(a) anonymous /health", "/health", null, 200),
            new("(b) valid key, scope, rate limit", "/api/v1/ping", $"Bearer {key}", 200),
            new("(c) garbage key", "/api/v1/ping", "Bearer bsk_live_this-is-not-a-key", 401),
        ];
        foreach (var scenario in scenarios)
        {
            var status = await SendAsync(scenario);
            if (status != scenario.Expected)
                throw new InvalidOperationException($"{scenario.Name} answered {status}, not {scenario.Expected}.");
        }

        // Warm up until tiered compilation has promoted the hot methods, then measure in interleaved rounds.
        for (var i = 0; i < 10; i++)
            foreach (var scenario in scenarios)
                await LoadAsync(scenario, requests);
        Console.WriteLine($"{"",-34} {"µs/request",10} {"B/request",10}");
        for (var round = 1; round <= rounds; round++)
        {
            Console.WriteLine($"-- round {round}");
            foreach (var scenario in scenarios)
            {
                var (micros, bytes) = await LoadAsync(scenario, requests);
                Console.WriteLine($"{scenario.Name,-34} {micros,10:F2} {bytes,10}");
            }
        }
        return 0;

        async Task<(double Micros, long Bytes)> LoadAsync(Scenario scenario, int count)
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
                await SendAsync(scenario);
            return (clock.Elapsed.TotalMicroseconds / count, (GC.GetAllocatedBytesForCurrentThread() - allocated) / count);
        }

        async Task<int> SendAsync(Scenario scenario)
        {
            var context = new DefaultHttpContext { ServiceScopeFactory = scopes };
            context.Request.Method = "GET";
            context.Request.Scheme = "http";
            context.Request.Host = new HostString("127.0.0.1");
            context.Request.Path = scenario.Path;
            if (scenario.Authorization is not null)
                context.Request.Headers.Authorization = scenario.Authorization;
            context.Connection.RemoteIpAddress = IPAddress.Loopback;
            await pipeline(context);
            await ((IAsyncDisposable)context.Features.Get<IServiceProvidersFeature>()!).DisposeAsync();
            return context.Response.StatusCode;
        }
    }
}

sealed record Scenario(string Name, string Path, string? Authorization, int Expected);

/// <summary>Keeps the request delegate of the app's whole pipeline (the first middleware receives the rest).</summary>
sealed class PipelineCapture : IStartupFilter
{
    public static RequestDelegate? Pipeline { get; private set; }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(rest => Pipeline = rest);
        next(app);
    };
}

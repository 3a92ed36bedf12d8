using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Backside.Core.ApiKeys;
using Backside.Core.Data;
using Backside.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Backside.Tests.Api;

/// <summary>
/// What a hard crash costs: the real app in a process of its own, under load, killed with SIGKILL. Usage written
/// before the kill survives; at most the last flush interval of counts is lost.
/// </summary>
public class UsageCrashTests
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_hard_kill_loses_at_most_the_last_flush_interval_of_counts()
    {
        var path = Path.Combine(Path.GetTempPath(), "backside-tests", $"{Guid.NewGuid():N}.db");
        CreatedApiKey key;
        await using (var seed = BacksideAppFactory.OnDatabase(path))
        {
            key = await seed.CreateKeyAsync(await seed.CreateMemberAsync(), [Scopes.ContactsRead]);
            await seed.StopGracefullyAsync();
        }
        var port = FreePort();
        using var app = StartApp(path, port);
        var address = new Uri($"http://127.0.0.1:{port}");
        using var client = new HttpClient(OpenApiResponseValidator.ForAppAt(address)) { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new("Bearer", key.Secret);
        await WaitUntilUpAsync(client, app);

        var answered = new ConcurrentBag<long>(); // when each successful answer arrived
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await client.GetAsync("/api/v1/contacts", stop.Token);
                    if (response.StatusCode == HttpStatusCode.OK)
                        answered.Add(clock.ElapsedTicks);
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                    // the kill cut this request off
                }
            }
        })).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        stop.Cancel();
        app.Kill(); // SIGKILL: no shutdown, no final flush
        var killedAt = clock.ElapsedTicks;
        await app.WaitForExitAsync();
        await Task.WhenAll(load);

        await using var db = new BacksideDbContext(new DbContextOptionsBuilder<BacksideDbContext>().UseSqlite($"Data Source={path}").Options);
        var counted = await db.UsageBuckets.Where(b => b.ApiKeyId == key.Key.Id).SumAsync(b => b.Success);
        // Lost may be what was answered since the last flush began: one interval, plus the flush's own time.
        var lastInterval = answered.Count(at => Stopwatch.GetElapsedTime(at, killedAt) <= FlushInterval * 1.5);

        Assert.True(answered.Count > 100, $"only {answered.Count} requests were answered");
        // Requests cut off by the kill (at most one per client) may have been counted without an answer arriving.
        Assert.InRange(counted, answered.Count - lastInterval, answered.Count + 4);
    }

    private static Process StartApp(string databasePath, int port)
    {
        var root = SolutionRoot();
        var web = Path.Combine(root, "Backside.Web");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(web, "bin", "Release", "net10.0", "Backside.Web.dll"), "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = web,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["ConnectionStrings__Backside"] = $"Data Source={databasePath}",
                ["Usage__FlushInterval"] = FlushInterval.ToString("c"),
                ["X402__FacilitatorUrl"] = "http://127.0.0.1:9/",
                ["Logging__LogLevel__Default"] = "Warning",
            },
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilUpAsync(HttpClient client, Process app)
    {
        for (var i = 0; i < 120 && !app.HasExited; i++)
        {
            try
            {
                if ((await client.GetAsync("/health")).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250);
        }
        throw new InvalidOperationException("The app did not start.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string SolutionRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Backside.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Backside.sln not found above the test binaries.");
    }
}

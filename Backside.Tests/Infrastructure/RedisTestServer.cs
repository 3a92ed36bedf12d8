using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Backside.Tests.Infrastructure;

/// <summary>
/// A redis-server of the test's own on a free loopback port, without persistence, that the test may stop and start
/// again (on the same port); stopped at dispose. For what the shared test server must not suffer.
/// </summary>
public sealed class RedisTestServer : IAsyncDisposable
{
    private Process? process;

    public RedisTestServer()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>A new server, started.</summary>
    public static async Task<RedisTestServer> StartNewAsync()
    {
        var server = new RedisTestServer();
        await server.StartAsync();
        return server;
    }

    /// <summary>Starts the server (again, on the same port, empty) and waits until it answers.</summary>
    public async Task StartAsync()
    {
        process = Process.Start(new ProcessStartInfo("redis-server", ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("redis-server did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                await using var connection = await ConnectionMultiplexer.ConnectAsync(Configuration + ",connectTimeout=500");
                await connection.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    public async Task StopAsync()
    {
        if (process is null)
            return;
        process.Kill();
        await process.WaitForExitAsync();
        process.Dispose();
        process = null;
    }

    /// <summary>A command on a connection of the test's own (the apps' connections are theirs).</summary>
    public async Task<RedisResult> ExecuteAsync(string command, params object[] args)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(Configuration + ",allowAdmin=true");
        return await connection.GetDatabase().ExecuteAsync(command, args);
    }

    /// <summary>How many scripts (EVAL and EVALSHA) the server has run since it started.</summary>
    public async Task<long> ScriptCallsAsync()
    {
        var info = (string)(await ExecuteAsync("INFO", "commandstats"))!;
        long calls = 0;
        foreach (var line in info.Split('\n', StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith("cmdstat_eval", StringComparison.Ordinal))
                continue;
            var field = line.Split(':')[1].Split(',')[0]; // calls=N
            calls += long.Parse(field["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        }
        return calls;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Backside.Tests.Infrastructure;

/// <summary>
/// A redis-server of the test's own on a free loopback port, in memory only: a test can stop and restart it, and its
/// command statistics count only that test's commands. Stopped when disposed.
/// </summary>
public sealed class PrivateRedisServer : IAsyncDisposable
{
    private Process? process;

    private PrivateRedisServer(int port) => Port = port;

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<PrivateRedisServer> StartAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var server = new PrivateRedisServer(port);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server (again, on the same port, empty) and waits until it answers.</summary>
    public async Task StartAgainAsync()
    {
        Assert.Null(process);
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
            start.ArgumentList.Add(argument);
        process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start; run scripts/test, which installs it.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
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

    /// <summary>How many scripts (EVAL and EVALSHA) the server has run since it started.</summary>
    public async Task<long> ScriptCallsAsync()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(Configuration + ",allowAdmin=true");
        var info = await connection.GetServer(Configuration).InfoRawAsync("commandstats");
        long calls = 0;
        foreach (var line in info!.Split('\n', StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith("cmdstat_eval", StringComparison.Ordinal))
                continue;
            var field = line.Split(':')[1].Split(',')[0]; // calls=N
            calls += long.Parse(field["calls=".Length..], CultureInfo.InvariantCulture);
        }
        return calls;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}

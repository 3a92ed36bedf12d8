using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Backside.Core.Usage;

/// <summary>Flushes key usage every <see cref="UsageOptions.FlushInterval"/>, and once more when the host stops.</summary>
public sealed partial class UsageFlushService(
    ApiKeyUsageFlusher flusher,
    IOptions<UsageOptions> options,
    TimeProvider time,
    ILogger<UsageFlushService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.FlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await FlushSafelyAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // The server has stopped taking requests by now (it stops before hosted services), so this is the last word.
        await FlushSafelyAsync(CancellationToken.None);
    }

    private async Task FlushSafelyAsync(CancellationToken ct)
    {
        try
        {
            var rows = await flusher.FlushAsync(ct);
            if (rows > 0)
                Log.Flushed(logger, rows);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The batch went back into the tracker; the next tick tries again.
            Log.FlushFailed(logger, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Wrote {RowCount} rows of API key usage.")]
        public static partial void Flushed(ILogger logger, int rowCount);

        [LoggerMessage(2, LogLevel.Warning, "Writing API key usage failed; it will be retried.")]
        public static partial void FlushFailed(ILogger logger, Exception exception);
    }
}

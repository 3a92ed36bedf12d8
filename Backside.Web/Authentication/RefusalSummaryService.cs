using System.Globalization;

namespace Backside.Web.Authentication;

/// <summary>
/// Once a minute, while requests are being refused, one Warning that says how many and why
/// ("12,400 requests refused in the last minute: 12,100 invalid_api_key, 300 api_key_revoked"). A minute without
/// refusals writes nothing. The single line replaces the per-request messages the handlers no longer write at
/// Information, so a credential-stuffing flood is visible without filling the disk.
/// </summary>
public sealed partial class RefusalSummaryService(RefusalCounter counter, TimeProvider time, ILogger<RefusalSummaryService> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                Summarize();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Summarize()
    {
        var counts = counter.Drain();
        if (counts.Count == 0)
            return;
        var total = counts.Sum(c => c.Count);
        var byCode = string.Join(", ", counts.Select(c => $"{Format(c.Count)} {c.Code}"));
        Log.Summary(logger, Format(total), byCode);
    }

    private static string Format(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "{Refused} requests refused in the last minute: {ByCode}.")]
        public static partial void Summary(ILogger logger, string refused, string byCode);
    }
}

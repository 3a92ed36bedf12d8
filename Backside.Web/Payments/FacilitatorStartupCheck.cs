using Backside.Core.Payments;
using Microsoft.Extensions.Options;

namespace Backside.Web.Payments;

/// <summary>
/// Asks the facilitator at start-up whether it handles every configured offer, and says so in the log. It does not
/// stop the app: the key rail works without a facilitator, and a facilitator that is down now may be up later.
/// </summary>
public sealed partial class FacilitatorStartupCheck(
    FacilitatorClient facilitator, IOptions<X402Options> options, ILogger<FacilitatorStartupCheck> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled || options.Value.Routes.Count == 0)
            return;
        var supported = await facilitator.SupportedAsync(stoppingToken);
        if (supported is null)
        {
            Log.Unreachable(logger, options.Value.FacilitatorUrl);
            return;
        }
        foreach (var network in options.Value.Networks.Select(n => X402Network.Find(n)!))
        {
            if (!supported.Contains((1, network.V1Name)) || !supported.Contains((2, network.V2Id)))
                Log.Unsupported(logger, options.Value.FacilitatorUrl, network.V1Name);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "The x402 facilitator at {Url} did not answer /supported; paid requests will fail until it does.")]
        public static partial void Unreachable(ILogger logger, string url);

        [LoggerMessage(2, LogLevel.Warning, "The x402 facilitator at {Url} does not list network {Network} for both x402 versions.")]
        public static partial void Unsupported(ILogger logger, string url, string network);
    }
}

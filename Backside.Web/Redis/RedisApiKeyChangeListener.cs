using Backside.Core.ApiKeys;
using StackExchange.Redis;

namespace Backside.Web.Redis;

/// <summary>
/// Listens to the key-change channel: another instance's change is forgotten here at once. It also decides whether
/// this instance hears at all (<see cref="ApiKeyCacheCoherence"/>): unheard from start, on any connection failure, or
/// when a probe (a message to itself) does not come back; heard again only when one does, which proves the
/// subscription carries messages again, not merely that a socket reconnected.
/// </summary>
/// <remarks>
/// StackExchange.Redis (RESP2) keeps subscriptions on a connection of their own and re-subscribes after reconnecting,
/// raising <c>ConnectionFailed</c> / <c>ConnectionRestored</c> per connection. Any failure counts as a loss (with
/// RESP3 the one connection carries both), and a restoration only starts probing: the re-subscription may lag it.
/// The waits are real time on purpose, so a test's frozen clock does not freeze reconnection.
/// </remarks>
public sealed partial class RedisApiKeyChangeListener(
    IConnectionMultiplexer redis, RedisApiKeyChangeAnnouncer announcer, CachedApiKeyCredentialStore store,
    ApiKeyCacheCoherence coherence, ILogger<RedisApiKeyChangeListener> logger) : BackgroundService
{
    /// <summary>How long a probe may take before the subscription counts as lost.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>While hearing: how often a silently dead subscription is looked for.</summary>
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(5);

    /// <summary>While unheard: how often to try again.</summary>
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Probes that failed in a row on a connected multiplexer before the subscription is made again.</summary>
    private const int FailuresBeforeResubscribing = 5;

    private readonly SemaphoreSlim wake = new(0);
    private int failedProbes;
    private TaskCompletionSource probe = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool subscribed;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Nothing is cached yet; until the first probe returns, nothing goes to the second level.
        coherence.Unheard();
        redis.ConnectionFailed += OnConnectionFailed;
        redis.ConnectionRestored += OnConnectionRestored;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionFailed -= OnConnectionFailed;
        redis.ConnectionRestored -= OnConnectionRestored;
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        wake.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!subscribed)
                subscribed = await TrySubscribeAsync();
            if (subscribed && await ProbeAsync(stoppingToken))
            {
                failedProbes = 0;
                if (!coherence.IsHearing)
                {
                    coherence.Heard();
                    Log.Hearing(logger);
                }
                await announcer.PublishPendingAsync();
            }
            else
            {
                if (coherence.IsHearing)
                {
                    coherence.Unheard();
                    Log.NotHearing(logger, "a probe did not come back");
                }
                // Commands work but messages don't come: the re-subscription after a reconnect was refused or lost.
                if (subscribed && ++failedProbes % FailuresBeforeResubscribing == 0 && redis.IsConnected)
                    subscribed = await TryResubscribeAsync();
            }
            try
            {
                await wake.WaitAsync(coherence.IsHearing ? ProbeInterval : RetryInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<bool> TrySubscribeAsync()
    {
        try
        {
            var subscriber = redis.GetSubscriber();
            await subscriber.SubscribeAsync(announcer.ReceiptChannel, OnReceipt);
            await subscriber.SubscribeAsync(announcer.Channel, OnMessage);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return false;
        }
    }

    private async Task<bool> TryResubscribeAsync()
    {
        try
        {
            var subscriber = redis.GetSubscriber();
            await subscriber.UnsubscribeAsync(announcer.Channel, OnMessage);
            await subscriber.UnsubscribeAsync(announcer.ReceiptChannel, OnReceipt);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Not subscribed, or not reachable: subscribing again says which.
        }
        return await TrySubscribeAsync();
    }

    private async Task<bool> ProbeAsync(CancellationToken ct)
    {
        var awaited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref probe, awaited);
        if (!await announcer.PublishProbeAsync())
            return false;
        try
        {
            await awaited.Task.WaitAsync(ProbeTimeout, ct);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue message)
    {
        var (header, sender, cacheKeys) = RedisApiKeyChangeAnnouncer.Parse(message.ToString());
        if (sender == announcer.InstanceId)
        {
            // This instance forgot the keys before it announced them; hearing its own message is its receipt.
            if (cacheKeys.Length == 0)
                Volatile.Read(ref probe).TrySetResult();
            else
                announcer.ReceiptArrived(header);
            return;
        }
        if (cacheKeys.Length > 0)
            _ = ForgetAndConfirmAsync(header, cacheKeys);
    }

    private async Task ForgetAndConfirmAsync(string header, string[] cacheKeys)
    {
        await store.ForgetAnnouncedAsync(cacheKeys);
        await announcer.SendReceiptAsync(header);
    }

    private void OnReceipt(RedisChannel channel, RedisValue header) => announcer.ReceiptArrived(header.ToString());

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (coherence.IsHearing)
            Log.NotHearing(logger, $"{e.ConnectionType} connection failed ({e.FailureType})");
        coherence.Unheard();
        Wake();
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => Wake();

    private void Wake()
    {
        if (wake.CurrentCount == 0)
            wake.Release();
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Warning, "Key-change announcements may be missed ({Reason}): cached credentials are trusted for a second at a time.")]
        public static partial void NotHearing(ILogger logger, string reason);

        [LoggerMessage(LogLevel.Information, "Key-change announcements arrive again; credentials cached before are read again.")]
        public static partial void Hearing(ILogger logger);
    }
}

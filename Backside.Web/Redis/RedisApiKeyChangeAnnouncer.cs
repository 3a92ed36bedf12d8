using System.Collections.Concurrent;
using Backside.Core.ApiKeys;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Backside.Web.Redis;

/// <summary>
/// Publishes key changes on <c>{KeyPrefix}api-keys:changed</c>. A message is a header line (this instance's id and
/// the announcement's number, <c>id:n</c>) and the changed credentials' cache keys (<c>api-key:</c> and the secret's
/// SHA-256 in hex), one a line: hashes only, never a secret. A message with no cache keys is a probe, which only its
/// sender reads (<see cref="RedisApiKeyChangeListener"/>).
/// </summary>
/// <remarks>
/// Every other instance answers with the header on <c>{KeyPrefix}api-keys:forgotten</c> once it has forgotten the
/// keys (this one by hearing its own message), and the change waits for as many answers as Redis says received the
/// message (up to
/// <see cref="RedisOptions.AnnouncementTimeout"/>): so when a revocation returns, every instance that was listening
/// already refuses the key, and the next request anywhere is refused, not only one a few milliseconds later.
/// An announcement that can't be published is kept and published again once Redis answers: the change has committed,
/// and an instance that misses it would otherwise trust its entry until it expires.
/// </remarks>
public sealed partial class RedisApiKeyChangeAnnouncer(
    IConnectionMultiplexer redis, IOptions<RedisOptions> options, ILogger<RedisApiKeyChangeAnnouncer> logger) : IApiKeyChangeAnnouncer
{
    /// <summary>Changes come only from authenticated writes; past this many unsent, the oldest are dropped (and logged).</summary>
    public const int MaxPending = 10_000;

    public const string ChannelSuffix = "api-keys:changed";

    public const string ReceiptChannelSuffix = "api-keys:forgotten";

    private readonly ConcurrentQueue<string> pending = new();

    private readonly ConcurrentDictionary<string, AnnouncementReceipts> awaiting = new(StringComparer.Ordinal);

    private long announced;

    /// <summary>Tells this instance's own messages from the others'.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    public RedisChannel Channel { get; } = RedisChannel.Literal(options.Value.KeyPrefix + ChannelSuffix);

    public RedisChannel ReceiptChannel { get; } = RedisChannel.Literal(options.Value.KeyPrefix + ReceiptChannelSuffix);

    public int PendingCount => pending.Count;

    public async Task AnnounceAsync(IReadOnlyList<string> cacheKeys, CancellationToken ct)
    {
        if (cacheKeys.Count == 0)
            return;
        var header = $"{InstanceId}:{Interlocked.Increment(ref announced)}";
        var message = header + "\n" + string.Join('\n', cacheKeys);
        var receipts = new AnnouncementReceipts();
        awaiting[header] = receipts;
        try
        {
            if (await TryPublishAsync(message) is not { } heardBy)
            {
                pending.Enqueue(message);
                while (pending.Count > MaxPending && pending.TryDequeue(out _))
                    Log.PendingDropped(logger, MaxPending);
                return;
            }
            // Every subscriber counted here gives a receipt, this instance included (its listener receipts its own
            // message locally), so an instance whose own subscription is down does not return one receipt early.
            receipts.Expect(heardBy);
            await receipts.All.WaitAsync(options.Value.AnnouncementTimeout, ct);
        }
        catch (TimeoutException)
        {
            // A listener that stalls must not hold up changes; it forgot the keys or is unheard, and then trusts a
            // cached credential for a second at most.
            Log.ReceiptsLate(logger, options.Value.AnnouncementTimeout.TotalMilliseconds);
        }
        finally
        {
            awaiting.TryRemove(header, out _);
        }
    }

    /// <summary>Another instance forgot the keys of the announcement with this header.</summary>
    public void ReceiptArrived(string header)
    {
        if (awaiting.TryGetValue(header, out var receipts))
            receipts.Received();
    }

    /// <summary>Tells the announcement's sender that this instance forgot its keys.</summary>
    public async Task SendReceiptAsync(string header)
    {
        try
        {
            await redis.GetSubscriber().PublishAsync(ReceiptChannel, header);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The sender stops waiting after its timeout; nothing else depends on the receipt.
        }
    }

    /// <summary>Called by the listener alone (so one sender at a time) once its probe came back.</summary>
    public async Task PublishPendingAsync()
    {
        while (pending.TryPeek(out var message))
        {
            if (await TryPublishAsync(message) is null)
                return;
            pending.TryDequeue(out _);
        }
    }

    public async Task<bool> PublishProbeAsync() => await TryPublishAsync(InstanceId) is not null;

    /// <summary>Splits a message into its header, its sender and its cache keys (none for a probe).</summary>
    public static (string Header, string Sender, string[] CacheKeys) Parse(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0)
            return ("", "", []);
        var header = lines[0];
        var colon = header.IndexOf(':', StringComparison.Ordinal);
        return (header, colon < 0 ? header : header[..colon], lines[1..]);
    }

    /// <returns>How many subscribers received the message, or null when it could not be published.</returns>
    private async Task<long?> TryPublishAsync(string message)
    {
        try
        {
            return await redis.GetSubscriber().PublishAsync(Channel, message);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.PublishFailed(logger, ex.GetType().Name);
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Warning, "Publishing a key change to Redis failed ({Error}); it is sent again once Redis answers.")]
        public static partial void PublishFailed(ILogger logger, string error);

        [LoggerMessage(LogLevel.Error, "More than {Max} key-change announcements could not be published; the oldest was dropped.")]
        public static partial void PendingDropped(ILogger logger, int max);

        [LoggerMessage(LogLevel.Warning, "Not every instance confirmed a key change within {Milliseconds} ms; the change returned anyway.")]
        public static partial void ReceiptsLate(ILogger logger, double milliseconds);
    }
}

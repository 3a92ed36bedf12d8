using System.Collections.Concurrent;
using Backside.Core.ApiKeys;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Backside.Web.Redis;

/// <summary>
/// Publishes key changes on <c>{KeyPrefix}api-keys:changed</c>. A message is this instance's id and the changed
/// credentials' cache keys (<c>api-key:</c> and the secret's SHA-256 in hex), one a line: hashes only, never a
/// secret. A message with no cache keys is a probe, which only its sender reads (<see cref="RedisApiKeyChangeListener"/>).
/// </summary>
/// <remarks>
/// An announcement that can't be published is kept and published again once Redis answers: the change has committed,
/// and an instance that misses it would otherwise trust its entry until it expires.
/// </remarks>
public sealed partial class RedisApiKeyChangeAnnouncer(
    IConnectionMultiplexer redis, IOptions<RedisOptions> options, ILogger<RedisApiKeyChangeAnnouncer> logger) : IApiKeyChangeAnnouncer
{
    /// <summary>Changes come only from authenticated writes; past this many unsent, the oldest are dropped (and logged).</summary>
    public const int MaxPending = 10_000;

    public const string ChannelSuffix = "api-keys:changed";

    private readonly ConcurrentQueue<string> pending = new();

    /// <summary>Tells this instance's own messages from the others'.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    public RedisChannel Channel { get; } = RedisChannel.Literal(options.Value.KeyPrefix + ChannelSuffix);

    public int PendingCount => pending.Count;

    public async Task AnnounceAsync(IReadOnlyList<string> cacheKeys, CancellationToken ct)
    {
        if (cacheKeys.Count == 0)
            return;
        var message = InstanceId + "\n" + string.Join('\n', cacheKeys);
        if (await TryPublishAsync(message))
            return;
        pending.Enqueue(message);
        while (pending.Count > MaxPending && pending.TryDequeue(out _))
            Log.PendingDropped(logger, MaxPending);
    }

    /// <summary>Called by the listener alone (so one sender at a time) once its probe came back.</summary>
    public async Task PublishPendingAsync()
    {
        while (pending.TryPeek(out var message))
        {
            if (!await TryPublishAsync(message))
                return;
            pending.TryDequeue(out _);
        }
    }

    public Task<bool> PublishProbeAsync() => TryPublishAsync(InstanceId);

    /// <summary>Splits a message into its sender and its cache keys (none for a probe).</summary>
    public static (string Sender, string[] CacheKeys) Parse(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length == 0 ? ("", []) : (lines[0], lines[1..]);
    }

    private async Task<bool> TryPublishAsync(string message)
    {
        try
        {
            await redis.GetSubscriber().PublishAsync(Channel, message);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.PublishFailed(logger, ex.GetType().Name);
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Warning, "Publishing a key change to Redis failed ({Error}); it is sent again once Redis answers.")]
        public static partial void PublishFailed(ILogger logger, string error);

        [LoggerMessage(LogLevel.Error, "More than {Max} key-change announcements could not be published; the oldest was dropped.")]
        public static partial void PendingDropped(ILogger logger, int max);
    }
}

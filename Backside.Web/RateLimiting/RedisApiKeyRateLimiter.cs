using System.Collections.Concurrent;
using Backside.Web.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Backside.Web.RateLimiting;

/// <summary>
/// One budget per key across every instance: the key's GCRA state (its theoretical arrival time) lives in Redis and
/// a Lua script moves it atomically. An instance takes a <em>lease</em> of n requests at once (the script admits n only
/// if they fit in the burst, as n single requests would) and spends it in memory; when half of a lease is spent it
/// fetches the next one in the background, so a key far from its limit never waits for Redis. Near exhaustion the
/// script grants less or nothing, the request waits for that answer, and a refusal is then repeated locally until the
/// retry time Redis implied, so a spent key being hammered costs no Redis call per request.
/// </summary>
/// <remarks>
/// Lease sizes start at 1, double each time a lease is spent before it expires and halve when one expires half
/// unspent, never beyond <see cref="SharedRateLimitOptions.LeaseFraction"/> of the limit: a small limit always leases
/// one (every admission is Redis's exact decision). Leased units expire after
/// <see cref="SharedRateLimitOptions.LeaseLifetime"/>, which bounds the error (README "Rate limits across instances").
/// Time is this instance's <see cref="TimeProvider"/>, sent to the script (see the README for why). When Redis fails or
/// is slower than <see cref="SharedRateLimitOptions.RedisTimeout"/>, keys that need Redis use this instance's own
/// <see cref="InMemoryApiKeyRateLimiter"/> until <see cref="SharedRateLimitOptions.RetryInterval"/> has passed.
/// </remarks>
public sealed partial class RedisApiKeyRateLimiter : IApiKeyRateLimiter
{
    private const long WindowMicros = 60_000_000;

    /// <summary>
    /// KEYS[1] the key's state; ARGV now (µs since the Unix epoch), emission interval (µs), window (µs), wanted.
    /// Returns {granted, theoretical arrival time}. Microseconds stay exact in Lua's doubles (below 2^53 until 2255).
    /// </summary>
    private const string LeaseScript = """
        local now = tonumber(ARGV[1])
        local interval = tonumber(ARGV[2])
        local window = tonumber(ARGV[3])
        local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
        if tat < now then tat = now end
        local granted = math.min(tonumber(ARGV[4]), math.floor((now + window - tat) / interval))
        if granted < 1 then return {0, tat} end
        tat = tat + granted * interval
        redis.call('SET', KEYS[1], string.format('%.0f', tat), 'PX', math.ceil((tat - now) / 1000) + 1000)
        return {granted, tat}
        """;

    private readonly IConnectionMultiplexer redis;
    private readonly TimeProvider time;
    private readonly ILogger<RedisApiKeyRateLimiter> logger;
    private readonly InMemoryApiKeyRateLimiter fallback;
    private readonly SharedRateLimitOptions options;
    private readonly string keyPrefix;
    private readonly long leaseLifetimeMicros;
    private readonly long retryIntervalMicros;
    private readonly ConcurrentDictionary<string, KeyLease> leases = new(StringComparer.Ordinal);
    private long nextSweep;
    private long redisRetryAt;
    private int degraded;

    public RedisApiKeyRateLimiter(IConnectionMultiplexer redis, IOptions<RedisOptions> redisOptions, IOptions<SharedRateLimitOptions> options,
        TimeProvider time, ILogger<RedisApiKeyRateLimiter> logger)
    {
        this.redis = redis;
        this.time = time;
        this.logger = logger;
        this.options = options.Value;
        fallback = new InMemoryApiKeyRateLimiter(time);
        keyPrefix = redisOptions.Value.KeyPrefix + "ratelimit:";
        leaseLifetimeMicros = this.options.LeaseLifetime.Ticks / 10;
        retryIntervalMicros = this.options.RetryInterval.Ticks / 10;
    }

    /// <summary>How many keys have lease state in memory now.</summary>
    internal int TrackedKeys => leases.Count;

    public async ValueTask<RateLimitDecision> AcquireAsync(string keyId, int limitPerMinute, CancellationToken ct)
    {
        var now = NowMicros();
        if (now >= Volatile.Read(ref nextSweep))
            Sweep(now);
        while (true)
        {
            var lease = LeaseOf(keyId, limitPerMinute);
            Task fetch;
            lock (lease)
            {
                if (lease.Evicted)
                {
                    leases.TryRemove(new KeyValuePair<string, KeyLease>(keyId, lease));
                    continue;
                }
                if (lease.TrySpend(now) is { } admitted)
                {
                    if (lease.WantsNext(now) && IsRedisAvailable(now))
                        lease.InFlight = FetchAsync(lease, lease.Grow(), now);
                    return admitted;
                }
                if (now < lease.RefusedUntil)
                    return lease.Refused(now);
                if (!IsRedisAvailable(now))
                    break;
                // One fetch per key at a time; whoever comes while it runs waits for the same answer.
                if (lease.InFlight is not { IsCompleted: false })
                    lease.InFlight = FetchAsync(lease, lease.Size, now);
                fetch = lease.InFlight;
            }
            await fetch.WaitAsync(ct);
        }
        return await fallback.AcquireAsync(keyId, limitPerMinute, ct);
    }

    private KeyLease LeaseOf(string keyId, int limitPerMinute)
    {
        if (leases.TryGetValue(keyId, out var lease) && lease.Limit == limitPerMinute)
            return lease;
        var maxLease = Math.Max(1, (int)(limitPerMinute * options.LeaseFraction));
        // A new limit starts from a full budget, as in memory: its state has a key of its own in Redis.
        return leases.AddOrUpdate(keyId,
            static (id, state) => new KeyLease($"{state.Prefix}{id}:{state.Limit}", state.Limit, state.MaxLease),
            static (id, current, state) => current.Limit == state.Limit && !current.Evicted
                ? current
                : new KeyLease($"{state.Prefix}{id}:{state.Limit}", state.Limit, state.MaxLease),
            (Prefix: keyPrefix, Limit: limitPerMinute, MaxLease: maxLease));
    }

    /// <summary>Asks the script for <paramref name="wanted"/> units and files the answer; never throws.</summary>
    private async Task FetchAsync(KeyLease lease, int wanted, long now)
    {
        long granted, arrival;
        try
        {
            var result = await redis.GetDatabase()
                .ScriptEvaluateAsync(LeaseScript, [lease.RedisKey], [now, lease.Interval, WindowMicros, wanted])
                .WaitAsync(options.RedisTimeout); // wall time: a stalled Redis does not wait for a test's clock
            var values = (RedisResult[])result!;
            granted = (long)values[0];
            arrival = (long)values[1];
        }
#pragma warning disable CA1031 // Whatever Redis does, the request still gets a decision: this instance's own budget.
        catch (Exception e)
#pragma warning restore CA1031
        {
            MarkRedisUnavailable(now, e.GetType().Name);
            return;
        }

        if (Volatile.Read(ref degraded) == 1 && Interlocked.Exchange(ref degraded, 0) == 1)
            Log.SharedLimitsResumed(logger);
        lock (lease)
            lease.Apply((int)granted, arrival, now, now + leaseLifetimeMicros);
    }

    private bool IsRedisAvailable(long now)
    {
        if (now < Volatile.Read(ref redisRetryAt))
            return false;
        if (redis.IsConnected)
            return true;
        MarkRedisUnavailable(now, "not connected");
        return false;
    }

    private void MarkRedisUnavailable(long now, string reason)
    {
        Volatile.Write(ref redisRetryAt, now + retryIntervalMicros);
        // Once per outage, not per request: the flag is cleared by the first answer after Redis is back.
        if (Interlocked.Exchange(ref degraded, 1) == 0)
            Log.SharedLimitsUnavailable(logger, reason, options.RetryInterval.TotalSeconds);
    }

    /// <summary>Once a minute, forgets keys with nothing left to remember: no live lease, no refusal, no fetch.</summary>
    private void Sweep(long now)
    {
        var due = Volatile.Read(ref nextSweep);
        if (now < due || Interlocked.CompareExchange(ref nextSweep, now + WindowMicros, due) != due)
            return;
        foreach (var (keyId, lease) in leases)
        {
            lock (lease)
            {
                if (!lease.IsIdle(now))
                    continue;
                lease.Evicted = true;
            }
            leases.TryRemove(new KeyValuePair<string, KeyLease>(keyId, lease));
        }
    }

    private long NowMicros() => (time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private static TimeSpan Micros(long micros) => TimeSpan.FromTicks(Math.Max(micros, 0) * 10);

    /// <summary>One key's leases on this instance; every member is read and written under the object's lock.</summary>
    private sealed class KeyLease(string redisKey, int limit, int maxLease)
    {
        public string RedisKey { get; } = redisKey;
        public int Limit { get; } = limit;
        public long Interval { get; } = WindowMicros / limit;
        public bool Evicted;
        public Task? InFlight;

        /// <summary>The size of the next lease to ask for: 1 at first, at most the limit's lease fraction.</summary>
        public int Size = 1;

        private int units, spent, nextUnits;
        private bool grown;
        private long expiresAt, arrival, nextExpiresAt, nextArrival;

        /// <summary>Until then Redis has said the key is spent (µs); before it every request is refused here.</summary>
        public long RefusedUntil;
        private long refusedArrival;

        /// <summary>Spends a unit of a live lease, or returns null when there is none.</summary>
        public RateLimitDecision? TrySpend(long now)
        {
            if (spent >= units || now >= expiresAt)
            {
                Retire();
                if (nextUnits == 0 || now >= nextExpiresAt)
                {
                    RetireNext(now);
                    return null;
                }
                (units, spent, expiresAt, arrival) = (nextUnits, 0, nextExpiresAt, nextArrival);
                nextUnits = 0;
            }
            spent++;
            var left = units - spent;
            var latest = arrival;
            if (nextUnits > 0 && now < nextExpiresAt)
            {
                left += nextUnits;
                latest = Math.Max(latest, nextArrival);
            }
            // Redis's state as of the last answer, with the units still leased here given back: exact while this
            // instance is the key's only user, otherwise behind by what the others spent since.
            var ahead = Math.Max(latest - now, 0) - left * Interval;
            var remaining = (int)Math.Clamp((WindowMicros - ahead) / Interval, 0, Limit - 1);
            return new RateLimitDecision(true, Limit, remaining, Micros(ahead), TimeSpan.Zero);
        }

        /// <summary>Half a lease spent in time shows the demand: the next one is twice as big (up to the largest).</summary>
        public int Grow()
        {
            grown = true;
            return Size = Math.Min(Size * 2, maxLease);
        }

        /// <summary>Half of a lease of two or more is spent and nothing is coming: time to fetch the next one.</summary>
        public bool WantsNext(long now) =>
            units >= 2 && spent * 2 >= units && nextUnits == 0 && InFlight is not { IsCompleted: false } && now >= RefusedUntil;

        public RateLimitDecision Refused(long now) =>
            new(false, Limit, 0, Micros(refusedArrival - now), Micros(RefusedUntil - now));

        /// <summary>Files the script's answer to a fetch started at <paramref name="now"/>.</summary>
        public void Apply(int granted, long newArrival, long now, long leaseExpiresAt)
        {
            if (granted < 1)
            {
                // The script refused: the next unit is free when the arrival time is a window and an interval away.
                RefusedUntil = newArrival + Interval - WindowMicros;
                refusedArrival = newArrival;
                return;
            }
            RefusedUntil = 0;
            if (spent < units && now < expiresAt)
                (nextUnits, nextExpiresAt, nextArrival) = (granted, leaseExpiresAt, newArrival);
            else
            {
                Retire();
                (units, spent, expiresAt, arrival) = (granted, 0, leaseExpiresAt, newArrival);
            }
        }

        public bool IsIdle(long now) =>
            InFlight is not { IsCompleted: false } && !(spent < units && now < expiresAt) && !(nextUnits > 0 && now < nextExpiresAt) && now >= RefusedUntil;

        /// <summary>
        /// Ends the current lease: spent in time (and not grown for already), the next may be twice as big; expired half
        /// unused, half as big.
        /// </summary>
        private void Retire()
        {
            if (units == 0)
                return;
            if (spent >= units && !grown)
                Size = Math.Min(Size * 2, maxLease);
            else if (spent * 2 < units)
                Size = Math.Max(1, Size / 2);
            units = spent = 0;
            grown = false;
        }

        private void RetireNext(long now)
        {
            if (nextUnits > 0 && now >= nextExpiresAt)
                Size = Math.Max(1, Size / 2);
            nextUnits = 0;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
            Message = "Redis is unavailable for rate limits ({Reason}): each instance enforces its own budgets; Redis is tried again every {RetrySeconds} s.")]
        public static partial void SharedLimitsUnavailable(ILogger logger, string reason, double retrySeconds);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Redis answers again: rate-limit budgets are shared across instances.")]
        public static partial void SharedLimitsResumed(ILogger logger);
    }
}

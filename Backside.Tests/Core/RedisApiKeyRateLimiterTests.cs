using Backside.Tests.Infrastructure;
using Backside.Web.RateLimiting;
using Backside.Web.Redis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Backside.Tests.Core;

/// <summary>
/// Two limiter instances (each with its own connection, as two processes would have) on one real Redis and one clock.
/// The numeric cases use the run's Redis under a key prefix of their own; the ones that count commands or stop the
/// server start a redis-server of their own.
/// </summary>
public sealed class RedisApiKeyRateLimiterTests : IAsyncLifetime
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
    // A busy test machine can stall a round trip past the shipped 250 ms; these tests measure sharing, not stalls.
    private readonly SharedRateLimitOptions options = new() { RedisTimeout = TimeSpan.FromSeconds(5) };
    private readonly List<IConnectionMultiplexer> connections = [];
    private readonly LogCapture logs = new();
    private RedisTestServer? privateServer;

    /// <summary>Units two instances may hold at once: a lease and a prefetched one each, of at most the lease fraction.</summary>
    private int Held(int limit) => 2 * 2 * Math.Max(1, (int)(limit * options.LeaseFraction));

    /// <summary>The documented excess over one instance: units leased up to a lifetime before a span, or all units held.</summary>
    private int Over(int limit) => Math.Min((int)Math.Ceiling(options.LeaseLifetime.TotalSeconds * limit / 60), Held(limit));

    /// <summary>The documented shortfall: the units other instances hold.</summary>
    private int Under(int limit) => Held(limit);

    [Fact]
    public async Task A_limit_of_ten_spent_alternately_from_two_instances_admits_exactly_ten()
    {
        var (a, b) = await TwoInstancesAsync(TestRedis.Configuration);

        var allowed = 0;
        for (var i = 0; i < 30; i++)
            allowed += (await (i % 2 == 0 ? a : b).AcquireAsync("key_ten", 10, CancellationToken.None)).Allowed ? 1 : 0;

        Assert.Equal(10, allowed);
        // One request every six seconds comes back, on either instance, and only one.
        time.Advance(TimeSpan.FromSeconds(6));
        Assert.True((await b.AcquireAsync("key_ten", 10, CancellationToken.None)).Allowed);
        Assert.False((await a.AcquireAsync("key_ten", 10, CancellationToken.None)).Allowed);
    }

    [Fact]
    public async Task Every_admission_of_a_small_limit_reports_the_shared_budget_exactly()
    {
        var (a, b) = await TwoInstancesAsync(TestRedis.Configuration);

        var first = await a.AcquireAsync("key_three", 3, CancellationToken.None);
        var second = await b.AcquireAsync("key_three", 3, CancellationToken.None);
        var third = await a.AcquireAsync("key_three", 3, CancellationToken.None);
        var refused = await b.AcquireAsync("key_three", 3, CancellationToken.None);

        Assert.Equal([(2, 20d), (1, 40d), (0, 60d)], new[] { first, second, third }.Select(d => (d.Remaining, d.ResetAfter.TotalSeconds)));
        Assert.False(refused.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(20), refused.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(60), refused.ResetAfter);
    }

    [Theory]
    [InlineData(600)]
    [InlineData(60_000)]
    public async Task A_key_hammered_concurrently_from_two_instances_at_one_instant_gets_its_limit_within_the_bound(int limit)
    {
        var (a, b) = await TwoInstancesAsync(TestRedis.Configuration);
        var keyId = $"key_{limit}";

        // Four callers per instance, each sending half the limit: twice the limit from both together.
        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var limiter = w % 2 == 0 ? a : b;
            var allowed = 0;
            for (var i = 0; i < limit / 2; i++)
                allowed += (await limiter.AcquireAsync(keyId, limit, CancellationToken.None)).Allowed ? 1 : 0;
            return allowed;
        }));
        var successes = (await Task.WhenAll(workers)).Sum();

        // At one instant Redis grants at most the limit in leases, and nothing expires: at most the limit is spent.
        Assert.InRange(successes, limit - Under(limit), limit);
        AssertSharedThroughout();
    }

    [Theory]
    [InlineData(600)]
    [InlineData(60_000)]
    public async Task Under_sustained_overload_from_two_instances_each_minute_admits_the_limit_within_the_bound(int limit)
    {
        var (a, b) = await TwoInstancesAsync(TestRedis.Configuration);
        var keyId = $"key_paced_{limit}";
        var start = time.GetUtcNow();
        var perStep = Math.Max(4, limit / 1_000); // several times the limit's pace, in 20 ms steps
        var firstMinute = 0;
        var secondMinute = 0;
        for (var step = 0; step < 6_000; step++)
        {
            for (var i = 0; i < perStep * 2; i++)
            {
                if ((await (i % 2 == 0 ? a : b).AcquireAsync(keyId, limit, CancellationToken.None)).Allowed)
                {
                    if (time.GetUtcNow() - start < TimeSpan.FromMinutes(1))
                        firstMinute++;
                    else
                        secondMinute++;
                }
            }
            time.Advance(TimeSpan.FromMilliseconds(20));
        }

        // One instance alone would admit the burst and the minute's pace in the first minute, then the pace alone.
        Assert.InRange(firstMinute, 2 * limit - Under(limit), 2 * limit + Over(limit));
        Assert.InRange(secondMinute, limit - Under(limit), limit + Over(limit));
        Assert.InRange(secondMinute, limit * 0.95, limit * 1.05);
        AssertSharedThroughout();
    }

    [Fact]
    public async Task A_burst_across_a_minute_boundary_gets_no_second_budget_from_the_other_instance()
    {
        var (a, b) = await TwoInstancesAsync(TestRedis.Configuration);
        Assert.True((await a.AcquireAsync("key_boundary", 3, CancellationToken.None)).Allowed);
        time.Advance(TimeSpan.FromSeconds(59));

        var admitted = new List<bool>();
        for (var i = 0; i < 2; i++)
            admitted.Add((await (i % 2 == 0 ? b : a).AcquireAsync("key_boundary", 3, CancellationToken.None)).Allowed);
        time.Advance(TimeSpan.FromSeconds(2));
        for (var i = 0; i < 3; i++)
            admitted.Add((await (i % 2 == 0 ? b : a).AcquireAsync("key_boundary", 3, CancellationToken.None)).Allowed);

        // Two just before the minute since the first request ends, three just after: a fixed window admitted all five
        // within two seconds; here those two seconds admit the limit, three, and no more.
        Assert.Equal([true, true, true, false, false], admitted);
    }

    [Fact]
    public async Task A_spent_key_is_refused_without_a_redis_call_per_request()
    {
        privateServer = await RedisTestServer.StartNewAsync();
        var (a, b) = await TwoInstancesAsync(privateServer.Configuration);
        for (var i = 0; i < 5; i++)
            Assert.True((await (i % 2 == 0 ? a : b).AcquireAsync("key_spent", 5, CancellationToken.None)).Allowed);
        var before = await privateServer.ScriptCallsAsync();

        var refused = 0;
        for (var i = 0; i < 1_000; i++)
            refused += (await (i % 2 == 0 ? a : b).AcquireAsync("key_spent", 5, CancellationToken.None)).Allowed ? 0 : 1;

        Assert.Equal(1_000, refused);
        // Each instance asks once, learns when the next unit is free, and answers the rest itself.
        Assert.InRange(await privateServer.ScriptCallsAsync() - before, 1, 2);
    }

    [Fact]
    public async Task A_key_far_from_its_limit_pays_a_handful_of_lease_fetches_not_a_redis_call_per_request()
    {
        privateServer = await RedisTestServer.StartNewAsync();
        var (a, b) = await TwoInstancesAsync(privateServer.Configuration);

        var allowed = 0;
        for (var i = 0; i < 1_000; i++)
            allowed += (await (i % 2 == 0 ? a : b).AcquireAsync("key_busy", 1_000_000, CancellationToken.None)).Allowed ? 1 : 0;

        Assert.Equal(1_000, allowed);
        // Leases double from one: about ten per instance cover 500 requests each.
        Assert.InRange(await privateServer.ScriptCallsAsync(), 2, 30);
    }

    [Fact]
    public async Task With_redis_stopped_each_instance_keeps_its_own_budget_and_the_shared_one_resumes_when_redis_is_back()
    {
        privateServer = await RedisTestServer.StartNewAsync();
        var (a, b) = await TwoInstancesAsync(privateServer.Configuration);
        Assert.True((await a.AcquireAsync("key_outage", 10, CancellationToken.None)).Allowed);

        await privateServer.StopAsync();
        var duringOutage = await AlternateAsync(a, b, "key_outage", 10, 40);

        // Per instance now: ten each, answered without waiting for Redis more than once.
        Assert.Equal(20, duringOutage);
        var warnings = logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.Contains("Redis is unavailable for rate limits", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, warnings.Count); // once per instance, not per request

        await privateServer.StartAsync();
        await WaitConnectedAsync();
        time.Advance(TimeSpan.FromMinutes(1)); // past the retry interval, and every budget full again

        Assert.Equal(10, await AlternateAsync(a, b, "key_outage", 10, 30));
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("Redis answers again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Keys_idle_for_a_minute_leave_no_lease_state_behind()
    {
        var (a, _) = await TwoInstancesAsync(TestRedis.Configuration);
        for (var i = 0; i < 1_000; i++)
            await a.AcquireAsync($"key_idle_{i}", 10, CancellationToken.None);
        Assert.Equal(1_000, a.TrackedKeys);

        time.Advance(TimeSpan.FromMinutes(2));
        await a.AcquireAsync("key_fresh", 10, CancellationToken.None);

        Assert.Equal(1, a.TrackedKeys);
    }

    /// <summary>No fallback to per-instance budgets happened, which would void the measurement.</summary>
    private void AssertSharedThroughout() => Assert.DoesNotContain(logs.Entries, e => e.Level == LogLevel.Warning);

    private async Task<int> AlternateAsync(RedisApiKeyRateLimiter a, RedisApiKeyRateLimiter b, string keyId, int limit, int requests)
    {
        var allowed = 0;
        for (var i = 0; i < requests; i++)
            allowed += (await (i % 2 == 0 ? a : b).AcquireAsync(keyId, limit, CancellationToken.None)).Allowed ? 1 : 0;
        return allowed;
    }

    private async Task WaitConnectedAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!connections.All(c => c.IsConnected))
        {
            Assert.True(DateTime.UtcNow < deadline, "The limiters' connections did not come back within a minute of Redis restarting.");
            await Task.Delay(100);
        }
    }

    private async Task<(RedisApiKeyRateLimiter A, RedisApiKeyRateLimiter B)> TwoInstancesAsync(string configuration)
    {
        var redisOptions = Options.Create(new RedisOptions { Configuration = configuration, KeyPrefix = TestRedis.NewKeyPrefix() });
        var loggers = LoggerFactory.Create(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        async Task<RedisApiKeyRateLimiter> One()
        {
            var settings = ConfigurationOptions.Parse(configuration);
            settings.AbortOnConnectFail = false;
            var connection = await ConnectionMultiplexer.ConnectAsync(settings);
            connections.Add(connection);
            return new RedisApiKeyRateLimiter(connection, redisOptions, Options.Create(options), time, loggers.CreateLogger<RedisApiKeyRateLimiter>());
        }
        return (await One(), await One());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var connection in connections)
            await connection.DisposeAsync();
        if (privateServer is not null)
            await privateServer.DisposeAsync();
    }
}

using Backside.Web.RateLimiting;
using Microsoft.Extensions.Time.Testing;

namespace Backside.Tests.Core;

public class InMemoryApiKeyRateLimiterTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Concurrent_requests_at_one_instant_are_admitted_exactly_up_to_the_limit()
    {
        var limiter = new InMemoryApiKeyRateLimiter(time);

        var decisions = await Task.WhenAll(Enumerable.Range(0, 2_000).Select(_ => Task.Run(() => limiter.AcquireAsync("key_a", 600, CancellationToken.None).AsTask())));

        Assert.Equal(600, decisions.Count(d => d.Allowed));
    }

    [Fact]
    public async Task Over_any_minute_a_steady_stream_gets_the_limit_and_no_more()
    {
        var limiter = new InMemoryApiKeyRateLimiter(time);
        // Ten requests a second for two minutes against a limit of 60 a minute.
        var admitted = new List<DateTimeOffset>();
        for (var i = 0; i < 1_200; i++)
        {
            if ((await limiter.AcquireAsync("key_b", 60, CancellationToken.None)).Allowed)
                admitted.Add(time.GetUtcNow());
            time.Advance(TimeSpan.FromMilliseconds(100));
        }

        // The first burst takes the whole budget, then one a second: 60 + 119 in 120 s, and within the second minute
        // (after the burst) exactly one a second.
        Assert.Equal(60 + 119, admitted.Count);
        var secondMinute = admitted.Count(t => t >= admitted[0].AddMinutes(1));
        Assert.Equal(60, secondMinute);
    }

    [Fact]
    public async Task A_refused_request_spends_nothing_and_says_when_the_next_one_is_admitted()
    {
        var limiter = new InMemoryApiKeyRateLimiter(time);
        for (var i = 0; i < 4; i++)
            Assert.True((await limiter.AcquireAsync("key_c", 4, CancellationToken.None)).Allowed);

        var refused = await limiter.AcquireAsync("key_c", 4, CancellationToken.None);
        var again = await limiter.AcquireAsync("key_c", 4, CancellationToken.None);

        Assert.False(refused.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(15), refused.RetryAfter);
        Assert.Equal(refused.RetryAfter, again.RetryAfter);
        time.Advance(TimeSpan.FromSeconds(15));
        Assert.True((await limiter.AcquireAsync("key_c", 4, CancellationToken.None)).Allowed);
    }

    [Fact]
    public async Task Keys_whose_budget_is_full_again_are_forgotten_and_busy_ones_are_kept_exactly()
    {
        var limiter = new InMemoryApiKeyRateLimiter(time);
        for (var i = 0; i < 1_000; i++)
            await limiter.AcquireAsync($"key_idle_{i}", 10, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(30));
        for (var i = 0; i < 10; i++)
            Assert.True((await limiter.AcquireAsync("key_busy", 10, CancellationToken.None)).Allowed);
        Assert.Equal(1_001, limiter.TrackedKeys);

        // A minute after the start the idle keys have their whole budget back; the busy one is half way.
        time.Advance(TimeSpan.FromSeconds(30));
        await limiter.AcquireAsync("key_new", 10, CancellationToken.None);

        Assert.Equal(2, limiter.TrackedKeys);
        var admitted = 0;
        for (var i = 0; i < 10; i++)
            admitted += (await limiter.AcquireAsync("key_busy", 10, CancellationToken.None)).Allowed ? 1 : 0;
        Assert.Equal(5, admitted);
    }
}

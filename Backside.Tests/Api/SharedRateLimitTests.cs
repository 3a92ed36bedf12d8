using System.Net;
using Backside.Core.ApiKeys;
using Backside.Tests.Infrastructure;
using Backside.Web.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Backside.Tests.Api;

/// <summary>Two app hosts on one database file and one Redis prefix: one key's budget is one budget across both.</summary>
public sealed class SharedRateLimitTests : IAsyncLifetime
{
    private readonly string databasePath = Path.Combine(Path.GetTempPath(), "backside-tests", $"{Guid.NewGuid():N}.db");
    private readonly string keyPrefix = TestRedis.NewKeyPrefix();
    private SharedRateLimitAppFactory? a, b;
    private RedisTestServer? privateServer;

    [Fact]
    public async Task A_limit_of_ten_a_minute_across_two_instances_admits_exactly_ten_with_truthful_headers()
    {
        var (clientA, clientB) = await StartAsync(TestRedis.Configuration, limit: 10);

        var statuses = new List<HttpStatusCode>();
        var remaining = new List<string?>();
        for (var i = 0; i < 30; i++)
        {
            var response = await (i % 2 == 0 ? clientA : clientB).GetAsync("/api/v1/contacts");
            statuses.Add(response.StatusCode);
            if (response.IsSuccessStatusCode)
                remaining.Add(Header(response, "RateLimit"));
        }

        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(20, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        // Each answer reports the shared budget, whichever instance gave it: 9 left, then 8 … then none.
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"\"per-key\";r={9 - i};t={6 * (i + 1)}"), remaining);
        Assert.IsType<RedisApiKeyRateLimiter>(a!.Services.GetRequiredService<IApiKeyRateLimiter>());
    }

    [Fact]
    public async Task With_redis_stopped_each_instance_answers_from_its_own_budget_without_a_500_and_sharing_resumes()
    {
        privateServer = await RedisTestServer.StartNewAsync();
        var (clientA, clientB) = await StartAsync(privateServer.Configuration, limit: 10);
        Assert.Equal(HttpStatusCode.OK, (await clientA.GetAsync("/api/v1/contacts")).StatusCode);

        await privateServer.StopAsync();
        var outage = await AlternateAsync(clientA, clientB, 40);

        Assert.DoesNotContain(outage, s => s is not (HttpStatusCode.OK or HttpStatusCode.TooManyRequests));
        Assert.Equal(20, outage.Count(s => s == HttpStatusCode.OK)); // ten per instance while Redis is away

        await privateServer.StartAsync();
        await UntilConnectedAsync("reconnect within a minute of Redis restarting");
        a!.Time.Advance(TimeSpan.FromMinutes(1));
        b!.Time.Advance(TimeSpan.FromMinutes(1));

        var resumed = await AlternateAsync(clientA, clientB, 30);
        Assert.Equal(10, resumed.Count(s => s == HttpStatusCode.OK));
    }

    [Theory]
    [InlineData("RateLimits:LeaseFraction", "0.5")]
    [InlineData("RateLimits:LeaseLifetime", "00:01:00")]
    [InlineData("RateLimits:RedisTimeout", "00:00:00")]
    [InlineData("RateLimits:RetryInterval", "01:00:00")]
    public async Task A_rate_limit_setting_that_would_break_the_bound_stops_the_start_with_its_name(string key, string value)
    {
        await using var app = new SharedRateLimitAppFactory(databasePath, TestRedis.Configuration, keyPrefix, (key, value));

        var failure = Assert.ThrowsAny<Exception>(() => app.Services);

        var validation = failure as OptionsValidationException ?? failure.InnerException as OptionsValidationException;
        Assert.True(validation is not null, $"Expected an options validation failure, got {failure}");
        Assert.Contains(key.Split(':')[1], validation.Message, StringComparison.Ordinal);
    }

    private static async Task<List<HttpStatusCode>> AlternateAsync(HttpClient clientA, HttpClient clientB, int requests)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < requests; i++)
            statuses.Add((await (i % 2 == 0 ? clientA : clientB).GetAsync("/api/v1/contacts")).StatusCode);
        return statuses;
    }

    private async Task<(HttpClient A, HttpClient B)> StartAsync(string redisConfiguration, int limit)
    {
        a = new SharedRateLimitAppFactory(databasePath, redisConfiguration, keyPrefix);
        var owner = await a.CreateMemberAsync();
        var key = await a.CreateKeyAsync(owner, new CreateApiKeyCommand("Shared", "live", [Scopes.ContactsRead], RateLimitPerMinute: limit));
        b = new SharedRateLimitAppFactory(databasePath, redisConfiguration, keyPrefix);
        // Both instances read the same clock, as synchronised servers would.
        b.Time.SetUtcNow(a.Time.GetUtcNow());
        // In rotation only once connected to Redis, as a readiness check would have it: a request before that is
        // decided by the instance alone (the documented degradation), which is not what this measures.
        _ = b.Services;
        await UntilConnectedAsync("connect to Redis within a minute of starting");
        return (a.CreateClientWithKey(key.Secret), b.CreateClientWithKey(key.Secret));
    }

    private async Task UntilConnectedAsync(string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!a!.Services.GetRequiredService<IConnectionMultiplexer>().IsConnected || !b!.Services.GetRequiredService<IConnectionMultiplexer>().IsConnected)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The instances did not {what}.");
            await Task.Delay(100);
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (b is not null)
            await b.DisposeAsync();
        if (a is not null)
            await a.DisposeAsync();
        if (privateServer is not null)
            await privateServer.DisposeAsync();
    }
}

using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Backside.Core.ApiKeys;
using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Backside.Tests.Scaling;

/// <summary>
/// With Redis as the second level, made-up keys still cost what they cost on one instance: the remembered-unknown
/// memory and the address's lookup budget come before anything leaves the process.
/// </summary>
public sealed partial class UnknownKeysWithRedisTests : IAsyncLifetime
{
    private const int Budget = 5;

    private readonly RedisTestServer redis = new();
    private SharedCacheAppFactory app = null!;

    public async Task InitializeAsync()
    {
        await redis.StartAsync();
        app = new SharedCacheAppFactory(redis.Configuration);
        await app.UntilHearingAsync();
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await redis.DisposeAsync();
    }

    [Fact]
    public async Task A_made_up_key_sent_again_and_again_reads_the_shared_cache_once()
    {
        using var client = app.CreateClientWithKey(ApiKeyFormat.Generate(livemode: true));
        var before = await CacheReadsAsync();

        for (var i = 0; i < 50; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/contacts")).StatusCode);

        Assert.Equal(1, await CacheReadsAsync() - before);
    }

    [Fact]
    public async Task Made_up_keys_beyond_the_address_budget_read_neither_the_shared_cache_nor_the_database()
    {
        using var tight = app.WithWebHostBuilder(builder => builder.UseSetting("ApiKeys:UnknownKeys:LookupsPerAddress", Budget.ToString(CultureInfo.InvariantCulture)));
        using var client = tight.CreateClient();
        var before = await CacheReadsAsync();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/contacts");
            request.Headers.Authorization = new("Bearer", ApiKeyFormat.Generate(livemode: true));
            statuses.Add((await client.SendAsync(request)).StatusCode);
        }

        Assert.Equal(Budget, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(40 - Budget, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(Budget, await CacheReadsAsync() - before);
    }

    /// <summary>
    /// The second level's reads: the Redis cache reads an entry's hash fields (HMGET or HGETALL). Plain GETs are not
    /// counted: every new connection, this method's own included, sends one in its handshake.
    /// </summary>
    private async Task<long> CacheReadsAsync()
    {
        var stats = (string)(await redis.ExecuteAsync("INFO", "commandstats"))!;
        return HashReads().Matches(stats).Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"cmdstat_(?:hmget|hgetall):calls=(\d+)")]
    private static partial Regex HashReads();
}

using System.Globalization;
using System.Net;
using Backside.Core.ApiKeys;
using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Backside.Tests.Scaling;

/// <summary>
/// What an anonymous caller (a well-formed key that matches nothing) costs an instance with Redis: a key already
/// known to match nothing, or one past the address's lookup budget, is answered from memory, never with a read of
/// the second level. Each test runs a Redis of its own, so its command statistics count only this app's commands.
/// </summary>
public sealed class AnonymousLookupCostTests : IAsyncLifetime
{
    private const string Contacts = "/api/v1/contacts";
    private const int LookupsPerAddress = 3;

    private PrivateRedisServer server = null!;
    private SharedCacheAppFactory factory = null!;
    private WebApplicationFactory<Program> app = null!;

    public async Task InitializeAsync()
    {
        server = await PrivateRedisServer.StartAsync();
        factory = new SharedCacheAppFactory(server.Configuration);
        app = factory.WithWebHostBuilder(builder =>
            builder.UseSetting("ApiKeys:UnknownKeys:LookupsPerAddress", LookupsPerAddress.ToString(CultureInfo.InvariantCulture)));
        var coherence = app.Services.GetRequiredService<ApiKeyCacheCoherence>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!coherence.IsHearing)
        {
            Assert.True(DateTime.UtcNow < deadline, "The app was not hearing key-change announcements within 15 s.");
            await Task.Delay(20);
        }
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await factory.DisposeAsync();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task A_well_formed_key_already_known_to_match_nothing_is_refused_without_reading_redis()
    {
        using var client = WithKey(ApiKeyFormat.Generate(livemode: true));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(Contacts)).StatusCode);
        var before = await SecondLevelReadsAsync();

        for (var i = 0; i < 20; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(Contacts)).StatusCode);

        Assert.Equal(0, await SecondLevelReadsAsync() - before);
    }

    [Fact]
    public async Task Unknown_keys_past_the_address_s_lookup_budget_are_refused_without_reading_redis()
    {
        var before = await SecondLevelReadsAsync();

        for (var i = 0; i < 20; i++)
        {
            using var client = WithKey(ApiKeyFormat.Generate(livemode: true));
            var response = await client.GetAsync(Contacts);
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.InRange(await SecondLevelReadsAsync() - before, 0, LookupsPerAddress);
    }

    private HttpClient WithKey(string secret)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        return client;
    }

    /// <summary>Reads of the cache's hashes (HybridCache's Redis second level stores an entry as a hash).</summary>
    private async Task<long> SecondLevelReadsAsync()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.Configuration + ",allowAdmin=true");
        var info = await connection.GetServer(server.Configuration).InfoRawAsync("commandstats");
        long calls = 0;
        foreach (var line in info!.Split('\n', StringSplitOptions.TrimEntries))
        {
            if (!(line.StartsWith("cmdstat_hmget:", StringComparison.Ordinal) || line.StartsWith("cmdstat_hgetall:", StringComparison.Ordinal)))
                continue;
            var field = line.Split(':')[1].Split(',')[0];
            calls += long.Parse(field["calls=".Length..], CultureInfo.InvariantCulture);
        }
        return calls;
    }
}

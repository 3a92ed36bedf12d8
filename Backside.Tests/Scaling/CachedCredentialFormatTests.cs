using System.Net;
using System.Text;
using Backside.Core.ApiKeys;
using Backside.Tests.Infrastructure;
using StackExchange.Redis;

namespace Backside.Tests.Scaling;

/// <summary>An entry another format wrote to the shared cache (an instance not yet upgraded) is a miss, never a crash.</summary>
public sealed class CachedCredentialFormatTests : IAsyncLifetime
{
    private readonly SharedCacheAppFactory a = new();
    private SharedCacheAppFactory b = null!;

    public async Task InitializeAsync()
    {
        await a.UntilHearingAsync();
        b = a.Sibling();
        await b.UntilHearingAsync();
    }

    [Fact]
    public async Task An_entry_of_another_format_in_redis_is_read_from_the_database_instead()
    {
        var (client, key, _) = await a.CreateClientWithKeyAsync([Scopes.ContactsRead]);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/contacts")).StatusCode);
        using var redis = await ConnectionMultiplexer.ConnectAsync(a.Redis);
        var database = redis.GetDatabase();
        var entry = a.SecondLevelKey(key.Secret);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await database.KeyExistsAsync(entry))
        {
            Assert.True(DateTime.UtcNow < deadline, "The credential did not reach the shared cache within 10 s.");
            await Task.Delay(20);
        }
        // The same entry, labelled as the format before this one (same length, so the cache's framing still holds).
        var stored = (byte[])(await database.HashGetAsync(entry, "data"))!;
        var text = Encoding.Latin1.GetString(stored);
        var current = $"\"format\":{CachedCredentialSerializer.Format}";
        Assert.Contains(current, text, StringComparison.Ordinal);
        await database.HashSetAsync(entry, "data", Encoding.Latin1.GetBytes(text.Replace(current, $"\"format\":{CachedCredentialSerializer.Format - 1}", StringComparison.Ordinal)));

        var onB = await b.CreateClientWithKey(key.Secret).GetAsync("/api/v1/contacts");

        Assert.Equal(HttpStatusCode.OK, onB.StatusCode);
        Assert.Equal("\"per-key\";q=600;w=60", onB.Headers.GetValues("RateLimit-Policy").Single());
    }

    public async Task DisposeAsync()
    {
        await b.DisposeAsync();
        await a.DisposeAsync();
    }
}

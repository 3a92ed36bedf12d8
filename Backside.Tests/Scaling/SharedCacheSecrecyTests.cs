using System.Net;
using System.Text;
using Backside.Core.ApiKeys;
using Backside.Tests.Infrastructure;
using StackExchange.Redis;

namespace Backside.Tests.Scaling;

/// <summary>
/// What reaches Redis about a key (its cache entry, its rate-limit state, the announcement of its revocation) names
/// it by id or by its secret's hash, never by the secret: reading Redis must not give anyone a working key.
/// </summary>
public sealed class SharedCacheSecrecyTests : IAsyncLifetime
{
    private const string Contacts = "/api/v1/contacts";

    private readonly SharedCacheAppFactory app = new();

    public Task InitializeAsync() => app.UntilHearingAsync();

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Nothing_a_used_and_revoked_key_leaves_in_redis_contains_its_secret()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(app.Redis);
        var announcements = new List<string>();
        var channel = RedisChannel.Literal(app.KeyPrefix + "api-keys:changed");
        await redis.GetSubscriber().SubscribeAsync(channel, (_, message) =>
        {
            lock (announcements)
                announcements.Add(message.ToString());
        });
        var (client, key, owner) = await app.CreateClientWithKeyAsync(scopes: [Scopes.ContactsRead]);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Contacts)).StatusCode);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await redis.GetDatabase().KeyExistsAsync(app.SecondLevelKey(key.Secret)))
        {
            Assert.True(DateTime.UtcNow < deadline, "The credential did not reach the shared cache within 10 s.");
            await Task.Delay(20);
        }

        var stored = await EverythingUnderThePrefixAsync(redis);
        Assert.Contains(app.SecondLevelKey(key.Secret).ToString(), stored, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Secret, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Secret[ApiKeyFormat.PrefixLength..], stored, StringComparison.Ordinal);

        await app.RevokeAsync(owner, key.Key.Id);
        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            lock (announcements)
            {
                if (announcements.Exists(a => a.Contains('\n', StringComparison.Ordinal)))
                    break;
            }
            Assert.True(DateTime.UtcNow < deadline, "The revocation was not announced within 10 s.");
            await Task.Delay(20);
        }
        string sent;
        lock (announcements)
            sent = string.Join("\n", announcements);
        Assert.Contains(Convert.ToHexStringLower(ApiKeyFormat.Hash(key.Secret)), sent, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Secret[ApiKeyFormat.PrefixLength..], sent, StringComparison.Ordinal);
    }

    /// <summary>Every key under the app's prefix, and every value it holds (strings and hashes), as one text.</summary>
    private async Task<string> EverythingUnderThePrefixAsync(ConnectionMultiplexer redis)
    {
        var text = new StringBuilder();
        var database = redis.GetDatabase();
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        await foreach (var name in server.KeysAsync(pattern: app.KeyPrefix + "*"))
        {
            text.AppendLine(name.ToString());
            var type = await database.KeyTypeAsync(name);
            if (type == RedisType.Hash)
            {
                foreach (var field in await database.HashGetAllAsync(name))
                    text.Append(field.Name.ToString()).Append('=').AppendLine(Encoding.UTF8.GetString((byte[])field.Value!));
            }
            else if (type == RedisType.String)
            {
                text.AppendLine(Encoding.UTF8.GetString((byte[])(await database.StringGetAsync(name))!));
            }
        }
        return text.ToString();
    }
}

using System.Net;
using Backside.Core.ApiKeys;
using Backside.Tests.Infrastructure;

namespace Backside.Tests.Scaling;

/// <summary>
/// What a Redis failure degrades to, on a redis-server of the test's own (stopped, started, or made to refuse
/// subscriptions), so the shared test server never suffers it.
/// </summary>
public sealed class RedisOutageTests : IAsyncLifetime
{
    private const string Contacts = "/api/v1/contacts";

    private readonly RedisTestServer redis = new();
    private SharedCacheAppFactory a = null!;
    private SharedCacheAppFactory b = null!;

    public async Task InitializeAsync()
    {
        await redis.StartAsync();
        a = new SharedCacheAppFactory(redis.Configuration);
        await a.UntilHearingAsync();
        b = a.Sibling();
        await b.UntilHearingAsync();
    }

    public async Task DisposeAsync()
    {
        await b.DisposeAsync();
        await a.DisposeAsync();
        await redis.DisposeAsync();
    }

    [Fact]
    public async Task No_revocation_is_lost_while_Redis_is_stopped_and_started_again()
    {
        var (_, first, owner) = await a.CreateClientWithKeyAsync(scopes: [Scopes.ContactsRead]);
        var second = await a.CreateKeyAsync(owner, [Scopes.ContactsRead]);
        using var firstOnB = b.CreateClientWithKey(first.Secret);
        using var secondOnB = b.CreateClientWithKey(second.Secret);
        Assert.Equal(HttpStatusCode.OK, (await firstOnB.GetAsync(Contacts)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await secondOnB.GetAsync(Contacts)).StatusCode);

        await redis.StopAsync();
        await b.UntilNotHearingAsync();
        await a.RevokeAsync(owner, first.Key.Id);
        // While B can't hear, it trusts an entry for a second: then it reads the database again.
        b.Time.Advance(TimeSpan.FromSeconds(1.1));
        await (await firstOnB.GetAsync(Contacts)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "api_key_revoked");
        Assert.Equal(HttpStatusCode.OK, (await secondOnB.GetAsync(Contacts)).StatusCode);

        // Revoked within B's second of trust, announced to no one: B drops what it cached before it hears again.
        await a.RevokeAsync(owner, second.Key.Id);
        await redis.StartAsync();
        await b.UntilHearingAsync();

        await (await secondOnB.GetAsync(Contacts)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "api_key_revoked");
        await (await firstOnB.GetAsync(Contacts)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "api_key_revoked");
    }

    [Fact]
    public async Task Without_its_subscription_an_instance_reads_an_entry_older_than_a_second_again()
    {
        var (_, key, owner) = await a.CreateClientWithKeyAsync(scopes: [Scopes.ContactsRead]);
        using var onB = b.CreateClientWithKey(key.Secret);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync(Contacts)).StatusCode);

        // Commands keep working; subscribing is refused, and the subscriptions there are cut.
        await redis.ExecuteAsync("ACL", "SETUSER", "default", "-subscribe", "-psubscribe", "-ssubscribe");
        await redis.ExecuteAsync("CLIENT", "KILL", "TYPE", "pubsub");
        await b.UntilNotHearingAsync();

        var reads = b.Commands.CountMatching("\"ApiKeys\"");
        b.Time.Advance(TimeSpan.FromSeconds(0.9));
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync(Contacts)).StatusCode);
        Assert.Equal(reads, b.Commands.CountMatching("\"ApiKeys\""));

        b.Time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync(Contacts)).StatusCode);
        Assert.Equal(reads + 1, b.Commands.CountMatching("\"ApiKeys\""));

        // A revocation B can't hear of holds there within a second.
        await a.RevokeAsync(owner, key.Key.Id);
        b.Time.Advance(TimeSpan.FromSeconds(1.1));
        await (await onB.GetAsync(Contacts)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "api_key_revoked");

        // Allowed again: B subscribes again by itself and trusts its cache again.
        await redis.ExecuteAsync("ACL", "SETUSER", "default", "+@all");
        await b.UntilHearingAsync();
    }

    [Fact]
    public async Task With_Redis_unreachable_from_the_start_keys_work_and_revocations_hold()
    {
        await redis.StopAsync();
        await using var alone = new SharedCacheAppFactory(redis.Configuration);
        var (client, key, owner) = await alone.CreateClientWithKeyAsync(scopes: [Scopes.ContactsRead]);
        var started = DateTime.UtcNow;

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Contacts)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Contacts)).StatusCode);
        await alone.RevokeAsync(owner, key.Key.Id);
        await (await client.GetAsync(Contacts)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "api_key_revoked");

        Assert.False(alone.Coherence.IsHearing);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(3), "Requests waited on the unreachable Redis.");
        await redis.StartAsync();
    }
}

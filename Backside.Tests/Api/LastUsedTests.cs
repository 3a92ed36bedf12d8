using Backside.Core.ApiKeys;
using Backside.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Backside.Tests.Api;

[Trait("Providers", "Both")]
public class LastUsedTests
{
    [Fact]
    public async Task Concurrent_requests_write_last_used_in_one_batch_on_graceful_stop()
    {
        const int requests = 200;
        await using var app = new BacksideAppFactory();
        var (client, key, _) = await app.CreateClientWithKeyAsync([Scopes.ContactsRead]);
        var (otherClient, otherKey, _) = await app.CreateClientWithKeyAsync([Scopes.ContactsRead]);
        var updatesBefore = KeyUpdates(app);

        var responses = await Task.WhenAll(Enumerable.Range(0, requests)
            .Select(i => (i % 2 == 0 ? client : otherClient).GetAsync("/api/v1/contacts")));

        Assert.All(responses, r => r.EnsureSuccessStatusCode());
        Assert.Equal(updatesBefore, KeyUpdates(app)); // nothing written per request
        await using (var db = app.OpenDatabase())
            Assert.Null((await db.ApiKeys.SingleAsync(k => k.Id == key.Key.Id)).LastUsedAt);

        await app.StopGracefullyAsync(); // flushes what is pending

        await using var after = app.OpenDatabase();
        var used = await after.ApiKeys.Where(k => k.Id == key.Key.Id || k.Id == otherKey.Key.Id).ToListAsync();
        // The in-process test server has no client address; the browser test checks last_used_ip over real sockets.
        Assert.All(used, k => Assert.Equal(app.Time.GetUtcNow(), k.LastUsedAt));
        var flushUpdates = KeyUpdates(app) - updatesBefore;
        Assert.InRange(flushUpdates, 1, 2); // one statement per key used, not one per request
    }

    private static int KeyUpdates(BacksideAppFactory app) => app.Commands.CountMatching("UPDATE \"ApiKeys\"");
}

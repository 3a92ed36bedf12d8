using System.Net;
using Backside.Core.ApiKeys;
using Backside.Tests.Infrastructure;

namespace Backside.Tests.Api;

/// <summary>What every keyed request costs: after the first lookup, no database work at all.</summary>
public class HotPathTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    [Fact]
    public async Task Keyed_requests_in_steady_state_issue_no_database_commands()
    {
        var owner = await app.CreateMemberAsync();
        var keys = new[]
        {
            await app.CreateKeyAsync(owner, [Scopes.ApiKeysRead]),
            await app.CreateKeyAsync(owner, [Scopes.ApiKeysRead]),
        };
        var clients = keys.Select(k => app.CreateClientWithKey(k.Secret)).ToArray();
        var unknown = app.CreateClientWithKey(ApiKeyFormat.Generate(livemode: true));
        foreach (var client in clients.Append(unknown))
            await client.GetAsync("/api/v1/contacts"); // warm-up: the first lookup of each hash reads the database

        var before = app.Commands.Count;
        var responses = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => i % 3 == 2
            ? unknown.GetAsync("/api/v1/contacts")
            : clients[i % 3].GetAsync("/api/v1/contacts", HttpCompletionOption.ResponseHeadersRead)));

        Assert.Equal(200, responses.Count(r => r.StatusCode == HttpStatusCode.Forbidden)); // keys lack contacts:read
        Assert.Equal(100, responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
        Assert.Equal(before, app.Commands.Count);
    }

    [Fact]
    public async Task No_request_sent_after_a_revoke_returns_succeeds_even_during_a_burst()
    {
        var owner = await app.CreateMemberAsync();
        // The admin key covers the target (privilege rule): it holds every scope the target holds.
        var admin = app.CreateClientWithKey((await app.CreateKeyAsync(owner, [Scopes.ApiKeysWrite, Scopes.ContactsRead])).Secret);
        var target = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);
        var client = app.CreateClientWithKey(target.Secret);
        var revokedAt = long.MaxValue;
        var results = new System.Collections.Concurrent.ConcurrentBag<(long SentAt, HttpStatusCode Status)>();
        using var stop = new CancellationTokenSource();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var burst = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var sentAt = clock.ElapsedTicks;
                using var response = await client.GetAsync("/api/v1/contacts");
                results.Add((sentAt, response.StatusCode));
            }
        })).ToArray();
        await Task.Delay(300);
        (await admin.DeleteAsync($"/api/v1/api-keys/{target.Key.Id}")).EnsureSuccessStatusCode();
        Interlocked.Exchange(ref revokedAt, clock.ElapsedTicks);
        await Task.Delay(300);
        stop.Cancel();
        await Task.WhenAll(burst);

        var after = results.Where(r => r.SentAt > revokedAt).ToList();
        Assert.Contains(results, r => r.SentAt < revokedAt && r.Status == HttpStatusCode.OK);
        Assert.NotEmpty(after);
        Assert.All(after, r => Assert.Equal(HttpStatusCode.Unauthorized, r.Status));
    }

    [Fact]
    public async Task A_cached_key_is_refused_the_moment_it_is_revoked()
    {
        var owner = await app.CreateMemberAsync();
        var key = await app.CreateKeyAsync(owner, [Scopes.ContactsWrite]);
        var client = app.CreateClientWithKey(key.Secret);
        await (await client.GetAsync("/api/v1/contacts")).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await client.GetAsync("/api/v1/contacts")).ShouldBeJsonAsync(HttpStatusCode.OK);

        await app.RevokeAsync(owner, key.Key.Id);

        await (await client.GetAsync("/api/v1/contacts")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "api_key_revoked");
    }
}

using System.Net;
using System.Net.Http.Json;
using Backside.Core.ApiKeys;
using Backside.Tests.Infrastructure;

namespace Backside.Tests.Api;

/// <summary>Moves the clock to reset windows, so it has an app of its own.</summary>
public class RateLimitTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    [Fact]
    public async Task Every_keyed_response_carries_the_ratelimit_headers()
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync([Scopes.ContactsRead]);

        var response = await client.GetAsync("/api/v1/contacts");

        response.EnsureSuccessStatusCode();
        Assert.Equal("\"per-key\";q=600;w=60", Header(response, "RateLimit-Policy"));
        Assert.Equal("\"per-key\";r=599;t=60", Header(response, "RateLimit"));
    }

    [Fact]
    public async Task Requests_over_the_limit_get_429_until_the_window_resets()
    {
        var owner = await app.CreateMemberAsync();
        var admin = app.CreateClientWithKey((await app.CreateKeyAsync(owner, [Scopes.ApiKeysWrite, Scopes.ContactsRead])).Secret);
        var key = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);
        (await admin.PatchAsJsonAsync($"/api/v1/api-keys/{key.Key.Id}", new { rate_limit_per_minute = 3 })).EnsureSuccessStatusCode();
        var client = app.CreateClientWithKey(key.Secret);

        var remaining = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            var ok = await client.GetAsync("/api/v1/contacts");
            ok.EnsureSuccessStatusCode();
            remaining.Add(Header(ok, "RateLimit"));
            app.Time.Advance(TimeSpan.FromSeconds(10));
        }
        var limited = await client.GetAsync("/api/v1/contacts");

        Assert.Equal(["\"per-key\";r=2;t=60", "\"per-key\";r=1;t=50", "\"per-key\";r=0;t=40"], remaining);
        var problem = await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(30, problem.GetProperty("retry_after").GetInt32());
        Assert.Equal(TimeSpan.FromSeconds(30), limited.Headers.RetryAfter?.Delta);
        Assert.Equal("\"per-key\";q=3;w=60", Header(limited, "RateLimit-Policy"));

        app.Time.Advance(TimeSpan.FromSeconds(30));
        var afterReset = await client.GetAsync("/api/v1/contacts");
        afterReset.EnsureSuccessStatusCode();
        Assert.Equal("\"per-key\";r=2;t=60", Header(afterReset, "RateLimit"));
    }

    [Fact]
    public async Task Limits_are_per_key()
    {
        var owner = await app.CreateMemberAsync();
        var admin = app.CreateClientWithKey((await app.CreateKeyAsync(owner, [Scopes.ApiKeysWrite, Scopes.ContactsRead])).Secret);
        var busy = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);
        var quiet = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);
        (await admin.PatchAsJsonAsync($"/api/v1/api-keys/{busy.Key.Id}", new { rate_limit_per_minute = 1 })).EnsureSuccessStatusCode();

        (await app.CreateClientWithKey(busy.Secret).GetAsync("/api/v1/contacts")).EnsureSuccessStatusCode();
        var limited = await app.CreateClientWithKey(busy.Secret).GetAsync("/api/v1/contacts");
        var other = await app.CreateClientWithKey(quiet.Secret).GetAsync("/api/v1/contacts");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Requests_refused_by_the_allowlist_spend_none_of_the_keys_budget()
    {
        var owner = await app.CreateMemberAsync();
        var key = await app.CreateKeyAsync(owner, new CreateApiKeyCommand("Restricted", "live", [Scopes.ContactsRead], RateLimitPerMinute: 2, AllowedIps: ["203.0.113.0/24"]));
        var stranger = app.CreateClientWithKey(key.Secret, "198.51.100.7");
        var owners = app.CreateClientWithKey(key.Secret, "203.0.113.7");

        for (var i = 0; i < 5; i++)
            await (await stranger.GetAsync("/api/v1/contacts")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "ip_not_allowed");

        var first = await owners.GetAsync("/api/v1/contacts");
        await first.ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("\"per-key\";r=1;t=60", Header(first, "RateLimit"));
        await (await owners.GetAsync("/api/v1/contacts")).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await owners.GetAsync("/api/v1/contacts")).ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;
}

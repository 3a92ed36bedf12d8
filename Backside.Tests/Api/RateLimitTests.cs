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
        // One request of 600 a minute is back after a tenth of a second: t rounds up to 1.
        Assert.Equal("\"per-key\";r=599;t=1", Header(response, "RateLimit"));
    }

    [Fact]
    public async Task Requests_over_the_limit_get_429_and_the_budget_comes_back_at_the_limits_pace()
    {
        var client = await ClientWithLimitAsync(3); // one request every 20 seconds, 3 at once

        var remaining = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            var ok = await client.GetAsync("/api/v1/contacts");
            ok.EnsureSuccessStatusCode();
            remaining.Add(Header(ok, "RateLimit"));
        }
        var limited = await client.GetAsync("/api/v1/contacts");

        Assert.Equal(["\"per-key\";r=2;t=20", "\"per-key\";r=1;t=40", "\"per-key\";r=0;t=60"], remaining);
        var problem = await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(20, problem.GetProperty("retry_after").GetInt32());
        Assert.Equal(TimeSpan.FromSeconds(20), limited.Headers.RetryAfter?.Delta);
        Assert.Equal("\"per-key\";q=3;w=60", Header(limited, "RateLimit-Policy"));

        // Twenty seconds earn one request back, and only one.
        app.Time.Advance(TimeSpan.FromSeconds(20));
        var paced = await client.GetAsync("/api/v1/contacts");
        paced.EnsureSuccessStatusCode();
        Assert.Equal("\"per-key\";r=0;t=60", Header(paced, "RateLimit"));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync("/api/v1/contacts")).StatusCode);

        // A minute without requests earns all of it back.
        app.Time.Advance(TimeSpan.FromSeconds(60));
        var rested = await client.GetAsync("/api/v1/contacts");
        rested.EnsureSuccessStatusCode();
        Assert.Equal("\"per-key\";r=2;t=20", Header(rested, "RateLimit"));
    }

    [Fact]
    public async Task A_burst_across_a_minute_boundary_gets_no_second_budget()
    {
        var client = await ClientWithLimitAsync(3);
        (await client.GetAsync("/api/v1/contacts")).EnsureSuccessStatusCode();
        app.Time.Advance(TimeSpan.FromSeconds(59));

        // Two just before the minute since the first request ends, three just after: a fixed window admitted all
        // five within two seconds. Here those two seconds admit the limit, three, and no more.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 2; i++)
            statuses.Add((await client.GetAsync("/api/v1/contacts")).StatusCode);
        app.Time.Advance(TimeSpan.FromSeconds(2));
        for (var i = 0; i < 3; i++)
            statuses.Add((await client.GetAsync("/api/v1/contacts")).StatusCode);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    private async Task<HttpClient> ClientWithLimitAsync(int limit)
    {
        var owner = await app.CreateMemberAsync();
        var admin = app.CreateClientWithKey((await app.CreateKeyAsync(owner, [Scopes.ApiKeysWrite, Scopes.ContactsRead])).Secret);
        var key = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);
        (await admin.PatchAsJsonAsync($"/api/v1/api-keys/{key.Key.Id}", new { rate_limit_per_minute = limit })).EnsureSuccessStatusCode();
        return app.CreateClientWithKey(key.Secret);
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
        Assert.Equal("\"per-key\";r=1;t=30", Header(first, "RateLimit")); // none spent before: one of two used, back in 30 s
        await (await owners.GetAsync("/api/v1/contacts")).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await owners.GetAsync("/api/v1/contacts")).ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;
}

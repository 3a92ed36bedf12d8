using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Backside.Core.ApiKeys;
using Backside.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Api;

[Trait("Providers", "Both")]
public class UsageTests
{
    [Fact]
    public async Task Every_request_is_counted_exactly_once_across_a_restart()
    {
        string busy, limited, revoked, adminSecret;
        DateTimeOffset requestsAt;
        await using var database = TestDatabase.Create();
        await using (var app = BacksideAppFactory.OnDatabase(database))
        {
            var owner = await app.CreateMemberAsync();
            adminSecret = (await app.CreateKeyAsync(owner, [Scopes.UsageRead, Scopes.ApiKeysRead])).Secret;
            var busyKey = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);
            var limitedKey = await CreateLimitedKeyAsync(app, owner, perMinute: 5);
            var revokedKey = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);
            await app.RevokeAsync(owner, revokedKey.Key.Id);
            (busy, limited, revoked) = (busyKey.Key.Id, limitedKey.Key.Id, revokedKey.Key.Id);

            var busyClient = app.CreateClientWithKey(busyKey.Secret);
            var requests = new List<Task<HttpResponseMessage>>();
            requests.AddRange(Enumerable.Range(0, 60).Select(_ => busyClient.GetAsync("/api/v1/contacts")));
            requests.AddRange(Enumerable.Range(0, 20).Select(_ => busyClient.PostAsJsonAsync("/api/v1/contacts", new { name = "No" })));
            requests.AddRange(Enumerable.Range(0, 10).Select(_ => app.CreateClientWithKey(limitedKey.Secret).GetAsync("/api/v1/contacts")));
            requests.AddRange(Enumerable.Range(0, 7).Select(_ => app.CreateClientWithKey(revokedKey.Secret).GetAsync("/api/v1/contacts")));
            var statuses = (await Task.WhenAll(requests)).Select(r => (int)r.StatusCode).ToList();
            Assert.Equal(65, statuses.Count(s => s == 200));
            Assert.Equal(5, statuses.Count(s => s == 429));
            requestsAt = app.Time.GetUtcNow();

            await app.StopGracefullyAsync();
        }

        await using var restarted = BacksideAppFactory.OnDatabase(database);
        var admin = restarted.CreateClientWithKey(adminSecret);

        Assert.Equal(new Counts(80, 60, 20, 0, 0, 20, 0), await TotalsAsync(admin, busy));
        Assert.Equal(new Counts(10, 5, 5, 0, 0, 0, 5), await TotalsAsync(admin, limited));
        Assert.Equal(new Counts(7, 0, 7, 0, 7, 0, 0), await TotalsAsync(admin, revoked));
        var key = await (await admin.GetAsync($"/api/v1/api-keys/{busy}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(requestsAt, key.GetProperty("last_used_at").GetDateTimeOffset());
        var organization = await (await admin.GetAsync("/api/v1/usage")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(busy, organization.GetProperty("top_keys")[0].GetProperty("key_id").GetString());
        Assert.True(organization.GetProperty("totals").GetProperty("requests").GetInt64() >= 97);
    }

    [Fact]
    public async Task Usage_comes_in_hours_or_days_with_empty_periods_as_zeros()
    {
        await using var app = new BacksideAppFactory();
        var owner = await app.CreateMemberAsync();
        var admin = app.CreateClientWithKey((await app.CreateKeyAsync(owner, [Scopes.UsageRead, Scopes.ContactsRead])).Secret);
        var worker = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);
        var client = app.CreateClientWithKey(worker.Secret);
        await client.GetAsync("/api/v1/contacts");
        app.Time.Advance(TimeSpan.FromHours(2));
        await client.GetAsync("/api/v1/contacts");
        await client.GetAsync("/api/v1/contacts");
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<Backside.Core.Usage.ApiKeyUsageFlusher>().FlushAsync(CancellationToken.None);

        var hourly = await (await admin.GetAsync($"/api/v1/api-keys/{worker.Key.Id}/usage?granularity=hour")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var daily = await (await admin.GetAsync($"/api/v1/api-keys/{worker.Key.Id}/usage?granularity=day")).ShouldBeJsonAsync(HttpStatusCode.OK);

        var hours = hourly.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("counts").GetProperty("requests").GetInt64()).ToList();
        Assert.Equal(25, hours.Count); // the last 24 hours and the current one
        Assert.Equal([1, 0, 2], hours[^3..]);
        Assert.Equal(3, daily.GetProperty("totals").GetProperty("requests").GetInt64());
        Assert.Equal("day", daily.GetProperty("granularity").GetString());
    }

    [Theory]
    [InlineData("?granularity=week", "granularity")]
    [InlineData("?from=2026-11-23T12:00:00Z&to=2026-11-22T12:00:00Z", "from")]
    [InlineData("?from=2026-01-01T00:00:00Z&to=2026-11-22T12:00:00Z", "from")]
    public async Task Bad_usage_queries_are_validation_failures(string query, string field)
    {
        await using var app = new BacksideAppFactory();
        var (client, key, _) = await app.CreateClientWithKeyAsync([Scopes.UsageRead]);

        var response = await client.GetAsync($"/api/v1/api-keys/{key.Key.Id}/usage{query}");

        Assert.True((await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Usage_of_another_organizations_key_is_not_found()
    {
        await using var app = new BacksideAppFactory();
        var (client, _, _) = await app.CreateClientWithKeyAsync([Scopes.UsageRead]);
        var (_, stranger, _) = await app.CreateClientWithKeyAsync([Scopes.ContactsRead]);

        await (await client.GetAsync($"/api/v1/api-keys/{stranger.Key.Id}/usage")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "resource_not_found");
    }

    private static async Task<CreatedApiKey> CreateLimitedKeyAsync(BacksideAppFactory app, Backside.Core.Identity.Caller owner, int perMinute)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<ApiKeyService>()
            .CreateAsync(owner, new CreateApiKeyCommand("Limited", "live", [Scopes.ContactsRead], RateLimitPerMinute: perMinute));
        app.IssuedSecrets.Add(created.Value!.Secret);
        return created.Value;
    }

    private static async Task<Counts> TotalsAsync(HttpClient admin, string keyId)
    {
        var usage = await (await admin.GetAsync($"/api/v1/api-keys/{keyId}/usage")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var t = usage.GetProperty("totals");
        long Get(string name) => t.GetProperty(name).GetInt64();
        return new Counts(Get("requests"), Get("success"), Get("client_errors"), Get("server_errors"), Get("unauthorized"), Get("forbidden"), Get("rate_limited"));
    }

    private sealed record Counts(long Requests, long Success, long ClientErrors, long ServerErrors, long Unauthorized, long Forbidden, long RateLimited);
}

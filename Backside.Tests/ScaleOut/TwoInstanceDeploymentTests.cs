using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Backside.Core.ApiKeys;
using Backside.Core.Audit;
using Backside.Tests.Infrastructure;
using Backside.Tests.Payments;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;

namespace Backside.Tests.ScaleOut;

/// <summary>
/// Two app hosts on one fresh PostgreSQL database and one Redis key prefix, as a deployment runs them, driven
/// through their HTTP APIs the way clients behind a load balancer would. PostgreSQL-specific, so it runs in the
/// normal run (BACKSIDE_TEST_POSTGRES and BACKSIDE_TEST_REDIS, which scripts/test sets).
/// </summary>
public sealed class TwoInstanceDeploymentTests : IAsyncLifetime
{
    private const string Contacts = "/api/v1/contacts";

    private SharedCacheAppFactory? a, b;
    private FakeFacilitator? facilitator;
    private RedisTestServer? privateRedis;

    private SharedCacheAppFactory A => a!;

    private SharedCacheAppFactory B => b!;

    [Fact]
    public async Task A_key_revoked_through_one_instance_s_API_is_refused_on_the_other_s_very_next_request()
    {
        await StartAsync();
        var owner = await A.CreateMemberAsync();
        var admin = await A.CreateKeyAsync(owner); // full access: a key revokes only what it could grant
        var key = await A.CreateKeyAsync(owner, [Scopes.ContactsRead]);
        using var onB = B.CreateClientWithKey(key.Secret);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync(Contacts)).StatusCode);

        using var adminOnA = A.CreateClientWithKey(admin.Secret);
        await (await adminOnA.DeleteAsync($"/api/v1/api-keys/{key.Key.Id}")).ShouldBeJsonAsync(HttpStatusCode.OK);

        await (await onB.GetAsync(Contacts)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "api_key_revoked");
    }

    [Fact]
    public async Task A_key_limited_to_ten_a_minute_gets_exactly_ten_answers_across_both_instances_then_429_with_Retry_After()
    {
        await StartAsync();
        var owner = await A.CreateMemberAsync();
        var key = await A.CreateKeyAsync(owner, new CreateApiKeyCommand("Limited", "live", [Scopes.ContactsRead], RateLimitPerMinute: 10));
        B.Time.SetUtcNow(A.Time.GetUtcNow());
        using var onA = A.CreateClientWithKey(key.Secret);
        using var onB = B.CreateClientWithKey(key.Secret);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 24; i++)
        {
            using var response = await (i % 2 == 0 ? onA : onB).GetAsync(Contacts);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "A 429 without a Retry-After.");
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 10).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 14)), statuses);
    }

    [Fact]
    public async Task A_session_and_a_dashboard_sign_in_made_on_one_instance_hold_on_the_other()
    {
        await StartAsync();
        var email = $"both-{Guid.NewGuid():N}@example.com";
        await A.CreateMemberAsync(email);

        var tokens = await (await A.LoginAsync(email)).ShouldBeJsonAsync(HttpStatusCode.OK);
        using var bearerOnB = B.CreateClient();
        bearerOnB.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        await (await bearerOnB.GetAsync("/api/v1/api-keys")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var refreshed = await (await B.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!)).ShouldBeJsonAsync(HttpStatusCode.OK);
        using var bearerOnA = A.CreateClient();
        bearerOnA.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", refreshed.GetProperty("access_token").GetString());
        await (await bearerOnA.GetAsync("/api/v1/api-keys")).ShouldBeJsonAsync(HttpStatusCode.OK);
        // The refresh token B rotated away is spent on A too.
        Assert.Equal(HttpStatusCode.Unauthorized, (await A.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!)).StatusCode);

        // One browser, two instances: the login form comes from B, its post (antiforgery token and all) goes to A,
        // and the cookie A signs in with opens the account pages on B.
        var cookies = new CookieContainer();
        using var browserOnA = A.CreateDefaultClient(new RedirectHandler(), new CookieContainerHandler(cookies));
        using var browserOnB = B.CreateDefaultClient(new RedirectHandler(), new CookieContainerHandler(cookies));
        Assert.False(await browserOnB.IsSignedInAsync());
        using var signedIn = await browserOnB.SubmitAcrossAsync(browserOnA, "/Account/Login", "login", ("Input.Email", email), ("Input.Password", BacksideAppFactory.Password));
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.True(await browserOnB.IsSignedInAsync(), "B did not accept the sign-in cookie A wrote.");
        Assert.True(await browserOnA.IsSignedInAsync());
    }

    [Fact]
    public async Task Key_creations_racing_through_both_instances_all_succeed_on_one_unbroken_audit_chain()
    {
        const int perInstance = 20;
        await StartAsync();
        var owner = await A.CreateMemberAsync();
        var admin = await A.CreateKeyAsync(owner, [Scopes.ApiKeysWrite, Scopes.ContactsRead, Scopes.AuditRead]);
        using var adminOnA = A.CreateClientWithKey(admin.Secret);
        using var adminOnB = B.CreateClientWithKey(admin.Secret);

        var created = await Task.WhenAll(Enumerable.Range(0, 2 * perInstance).Select(i => Task.Run(async () =>
        {
            using var response = await (i % 2 == 0 ? adminOnA : adminOnB).PostAsJsonAsync("/api/v1/api-keys", new { name = $"Raced {i}", scopes = new[] { Scopes.ContactsRead } });
            return response.StatusCode;
        })));

        Assert.All(created, status => Assert.Equal(HttpStatusCode.Created, status));
        var events = 2 * perInstance + 1; // the admin key's creation first
        var verification = await B.WithServiceAsync<AuditTrail, AuditVerification>(trail => trail.VerifyAsync(owner.OrganizationId));
        Assert.True(verification.IsIntact, verification.Problem);
        Assert.Equal(events, verification.EventsChecked);
        await using var db = A.OpenDatabase();
        var sequences = await db.AuditEvents.Where(e => e.OrganizationId == owner.OrganizationId).Select(e => e.Sequence).OrderBy(s => s).ToListAsync();
        Assert.Equal(Enumerable.Range(1, events).Select(s => (long)s), sequences);
        await (await adminOnA.GetAsync("/api/v1/audit-events")).ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Usage_counted_on_both_instances_is_exact_in_the_database_after_both_stop()
    {
        const int onAlpha = 7, onBeta = 5;
        await StartAsync();
        var owner = await A.CreateMemberAsync();
        var key = await A.CreateKeyAsync(owner, [Scopes.ContactsRead]);
        B.Time.SetUtcNow(A.Time.GetUtcNow().AddMinutes(1)); // the same hour, B's requests a minute after A's
        using var onA = A.CreateClientWithKey(key.Secret);
        using var onB = B.CreateClientWithKey(key.Secret);
        for (var i = 0; i < onAlpha; i++)
            Assert.Equal(HttpStatusCode.OK, (await onA.GetAsync(Contacts)).StatusCode);
        for (var i = 0; i < onBeta; i++)
            Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync(Contacts)).StatusCode);
        var latest = B.Time.GetUtcNow();

        // B flushes first, so A's final flush of its earlier use comes last and must not move last_used_at back.
        await B.StopGracefullyAsync();
        await A.StopGracefullyAsync();

        await using var db = A.OpenDatabase();
        var hour = await db.UsageBuckets.Where(u => u.ApiKeyId == key.Key.Id).ToListAsync();
        Assert.Equal(onAlpha + onBeta, hour.Sum(u => u.Requests));
        Assert.Single(hour);
        Assert.Equal(latest, (await db.ApiKeys.SingleAsync(k => k.Id == key.Key.Id)).LastUsedAt);
    }

    [Fact]
    public async Task The_same_payment_sent_to_both_instances_at_once_is_accepted_once_and_settled_once()
    {
        facilitator = await FakeFacilitator.StartAsync();
        await StartAsync(settings: ("X402:FacilitatorUrl", facilitator.Url));
        B.Time.SetUtcNow(A.Time.GetUtcNow());
        using var onA = A.CreateClient();
        using var onB = B.CreateClient();
        var (_, offers) = await PaidRequests.OffersAsync(onA, HttpMethod.Get);
        var header = new TestWallet().Pay(2, offers["accepts"]![0]!.AsObject(), A.Time.GetUtcNow(), offers["resource"]!.AsObject());

        var answers = await Task.WhenAll(new[] { onA, onB }.Select(client => Task.Run(() =>
            client.SendAsync(new HttpRequestMessage(HttpMethod.Get, Contacts) { Headers = { { "PAYMENT-SIGNATURE", header } } }))));

        Assert.Single(answers, r => r.StatusCode == HttpStatusCode.OK);
        var refused = Assert.Single(answers, r => r.StatusCode != HttpStatusCode.OK);
        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.PaymentRequired, "invalid_payment");
        Assert.Equal("replay", problem.GetProperty("reason").GetString());
        Assert.Equal(1, facilitator.CallsTo("settle"));
        await using var db = A.OpenDatabase();
        Assert.Equal(1, await db.Payments.CountAsync());
    }

    [Fact]
    public async Task No_revocation_is_lost_when_Redis_stops_and_starts_again_mid_deployment()
    {
        privateRedis = new RedisTestServer();
        await privateRedis.StartAsync();
        await StartAsync(privateRedis.Configuration);
        var owner = await A.CreateMemberAsync();
        var admin = await A.CreateKeyAsync(owner); // full access: a key revokes only what it could grant
        var first = await A.CreateKeyAsync(owner, [Scopes.ContactsRead]);
        var second = await A.CreateKeyAsync(owner, [Scopes.ContactsRead]);
        using var adminOnA = A.CreateClientWithKey(admin.Secret);
        using var firstOnB = B.CreateClientWithKey(first.Secret);
        using var secondOnB = B.CreateClientWithKey(second.Secret);
        Assert.Equal(HttpStatusCode.OK, (await firstOnB.GetAsync(Contacts)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await secondOnB.GetAsync(Contacts)).StatusCode);

        await privateRedis.StopAsync();
        await B.UntilNotHearingAsync();
        await (await adminOnA.DeleteAsync($"/api/v1/api-keys/{first.Key.Id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        // Deaf, B trusts what it cached for a second at most.
        B.Time.Advance(TimeSpan.FromSeconds(1.01));
        await (await firstOnB.GetAsync(Contacts)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "api_key_revoked");

        await privateRedis.StartAsync();
        await A.UntilHearingAsync();
        await B.UntilHearingAsync();
        await (await firstOnB.GetAsync(Contacts)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "api_key_revoked");
        Assert.Equal(HttpStatusCode.OK, (await secondOnB.GetAsync(Contacts)).StatusCode);

        await (await adminOnA.DeleteAsync($"/api/v1/api-keys/{second.Key.Id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await secondOnB.GetAsync(Contacts)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "api_key_revoked");
    }

    /// <summary>Starts A and then B (both running before any concurrent work), on a new database and Redis prefix.</summary>
    private async Task StartAsync(string? redis = null, params (string Key, string Value)[] settings)
    {
        // A busy test machine can stall a round trip past the shipped 250 ms, which would make budgets per instance.
        a = new SharedCacheAppFactory(TestDatabase.CreatePostgres(), redis, [("RateLimits:RedisTimeout", "00:00:05"), .. settings]);
        await a.UntilHearingAsync();
        b = a.Sibling();
        await b.UntilHearingAsync();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (b is not null)
            await b.DisposeAsync();
        if (a is not null)
            await a.DisposeAsync();
        if (facilitator is not null)
            await facilitator.DisposeAsync();
        if (privateRedis is not null)
            await privateRedis.DisposeAsync();
    }
}

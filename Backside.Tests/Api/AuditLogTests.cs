using System.Net;
using System.Net.Http.Json;
using Backside.Core.ApiKeys;
using Backside.Core.Audit;
using Backside.Core.Identity;
using Backside.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Api;

[Trait("Providers", "Both")]
public class AuditLogTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    private static readonly string[] Admin = [Scopes.ApiKeysWrite, Scopes.ContactsRead, Scopes.AuditRead];

    [Fact]
    public async Task Every_change_writes_an_event_with_actor_address_and_before_after()
    {
        var owner = await app.CreateMemberAsync();
        var adminKey = await app.CreateKeyAsync(owner, Admin);
        var admin = app.CreateClientWithKey(adminKey.Secret, "198.51.100.23");
        admin.DefaultRequestHeaders.UserAgent.ParseAdd("deploy-bot/1.0");
        var created = await (await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "Target", scopes = new[] { "contacts:read" } }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        app.IssuedSecrets.Add(created.GetProperty("key").GetString()!);
        foreach (var step in new Func<Task<HttpResponseMessage>>[]
        {
            () => admin.PatchAsJsonAsync($"/api/v1/api-keys/{id}", new { name = "Renamed", allowed_ips = new[] { "10.0.0.0/8" } }),
            () => admin.PostAsync($"/api/v1/api-keys/{id}/deactivate", null),
            () => admin.PostAsync($"/api/v1/api-keys/{id}/activate", null),
            () => admin.PostAsync($"/api/v1/api-keys/{id}/rotate", null),
            () => admin.DeleteAsync($"/api/v1/api-keys/{id}"),
        })
        {
            (await step()).EnsureSuccessStatusCode();
            app.Time.Advance(TimeSpan.FromMilliseconds(1));
        }

        var events = (await (await admin.GetAsync($"/api/v1/audit-events?key_id={id}&limit=100")).ShouldBeJsonAsync(HttpStatusCode.OK))
            .GetProperty("data").EnumerateArray().Reverse().ToList();

        Assert.Equal(["api_key.created", "api_key.updated", "api_key.deactivated", "api_key.activated", "api_key.rotated", "api_key.revoked"],
            events.Select(e => e.GetProperty("action").GetString()));
        Assert.All(events, e =>
        {
            Assert.Equal("api_key", e.GetProperty("actor").GetProperty("type").GetString());
            Assert.Equal(adminKey.Key.Id, e.GetProperty("actor").GetProperty("id").GetString());
            Assert.Equal("198.51.100.23", e.GetProperty("ip_address").GetString());
            Assert.Equal("deploy-bot/1.0", e.GetProperty("user_agent").GetString());
        });
        var update = events[1].GetProperty("changes");
        Assert.Equal("Target", update.GetProperty("name").GetProperty("before").GetString());
        Assert.Equal("Renamed", update.GetProperty("name").GetProperty("after").GetString());
        Assert.Equal("10.0.0.0/8", update.GetProperty("allowed_ips").GetProperty("after")[0].GetString());
        Assert.Equal("active", events[2].GetProperty("changes").GetProperty("status").GetProperty("before").GetString());
        var body = string.Join("", events.Select(e => e.GetRawText()));
        Assert.All(app.IssuedSecrets, secret => Assert.DoesNotContain(secret[13..48], body));
    }

    [Fact]
    public async Task Events_chain_by_hash_and_an_edited_row_is_found()
    {
        var owner = await app.CreateMemberAsync();
        var keys = new List<CreatedApiKey>();
        for (var i = 0; i < 4; i++)
            keys.Add(await app.CreateKeyAsync(owner, [Scopes.ContactsRead], name: $"Key {i}"));
        Assert.True((await VerifyAsync(owner)).IsIntact);

        await using (var db = app.OpenDatabase())
        {
            var third = await db.AuditEvents.SingleAsync(e => e.OrganizationId == owner.OrganizationId && e.Sequence == 3);
            await db.AuditEvents.Where(e => e.Id == third.Id).ExecuteUpdateAsync(set => set.SetProperty(e => e.Changes, "{}"));
        }
        var verification = await VerifyAsync(owner);

        Assert.False(verification.IsIntact);
        Assert.Equal(3, verification.BrokenAtSequence);
        Assert.Equal(2, verification.EventsChecked);
    }

    [Fact]
    public async Task Chain_verifies_when_events_happen_between_milliseconds()
    {
        var owner = await app.CreateMemberAsync();
        app.Time.Advance(TimeSpan.FromTicks(1_234)); // 123.4 µs: storage keeps less than that
        await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);

        Assert.True((await VerifyAsync(owner)).IsIntact);
    }

    [Fact]
    public async Task A_deleted_event_breaks_the_chain_at_the_gap()
    {
        var owner = await app.CreateMemberAsync();
        for (var i = 0; i < 3; i++)
            await app.CreateKeyAsync(owner, [Scopes.ContactsRead], name: $"Key {i}");

        await using (var db = app.OpenDatabase())
            await db.AuditEvents.Where(e => e.OrganizationId == owner.OrganizationId && e.Sequence == 2).ExecuteDeleteAsync();
        var verification = await VerifyAsync(owner);

        Assert.Equal(3, verification.BrokenAtSequence);
        Assert.Contains("missing", verification.Problem);
    }

    [Fact]
    public async Task Concurrent_changes_in_one_organization_all_land_on_one_intact_chain()
    {
        var owner = await app.CreateMemberAsync();
        var admin = app.CreateClientWithKey((await app.CreateKeyAsync(owner, Admin)).Secret);

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            admin.PostAsJsonAsync("/api/v1/api-keys", new { name = $"Parallel {i}", scopes = new[] { "contacts:read" } })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var verification = await VerifyAsync(owner);
        Assert.True(verification.IsIntact, verification.Problem);
        Assert.Equal(13, verification.EventsChecked);
    }

    [Fact]
    public async Task Audit_log_needs_the_audit_scope_and_stays_in_the_organization()
    {
        var (noScope, _, _) = await app.CreateClientWithKeyAsync([Scopes.ApiKeysRead]);
        var (auditor, _, _) = await app.CreateClientWithKeyAsync([Scopes.AuditRead]);
        var (_, stranger, _) = await app.CreateClientWithKeyAsync([Scopes.ContactsRead]);

        var forbidden = await noScope.GetAsync("/api/v1/audit-events");
        var foreign = await (await auditor.GetAsync($"/api/v1/audit-events?key_id={stranger.Key.Id}")).ShouldBeJsonAsync(HttpStatusCode.OK);

        Assert.Equal("audit:read", (await forbidden.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope")).GetProperty("required_scope").GetString());
        Assert.Equal(0, foreign.GetProperty("data").GetArrayLength());
    }

    private async Task<AuditVerification> VerifyAsync(Caller owner)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AuditTrail>().VerifyAsync(owner.OrganizationId);
    }
}

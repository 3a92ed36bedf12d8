using System.Net;
using System.Net.Http.Json;
using Backside.Core.ApiKeys;
using Backside.Tests.Infrastructure;

namespace Backside.Tests.Api;

/// <summary>Rotation grace windows move the clock, so this class has an app of its own.</summary>
[Trait("Providers", "Both")]
public class ApiKeyLifecycleTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    private static readonly string[] Admin = [Scopes.ApiKeysWrite, Scopes.ContactsWrite, Scopes.AuditRead];

    [Fact]
    public async Task Rotation_without_grace_stops_the_old_secret_at_once_and_keeps_the_key()
    {
        var owner = await app.CreateMemberAsync();
        var admin = app.CreateClientWithKey((await app.CreateKeyAsync(owner, Admin)).Secret);
        var target = await app.CreateKeyAsync(owner, [Scopes.ContactsRead], name: "Worker");

        var rotated = await (await admin.PostAsync($"/api/v1/api-keys/{target.Key.Id}/rotate", null)).ShouldBeJsonAsync(HttpStatusCode.OK);
        var newSecret = rotated.GetProperty("key").GetString()!;
        app.IssuedSecrets.Add(newSecret);

        Assert.Equal(target.Key.Id, rotated.GetProperty("id").GetString());
        Assert.Equal("Worker", rotated.GetProperty("name").GetString());
        Assert.Equal(["contacts:read"], rotated.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.NotEqual(target.Secret, newSecret);
        await (await app.CreateClientWithKey(target.Secret).GetAsync("/api/v1/contacts")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
        await (await app.CreateClientWithKey(newSecret).GetAsync("/api/v1/contacts")).ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Old_secret_works_until_the_grace_window_ends()
    {
        var owner = await app.CreateMemberAsync();
        var admin = app.CreateClientWithKey((await app.CreateKeyAsync(owner, Admin)).Secret);
        var target = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);

        var rotated = await (await admin.PostAsJsonAsync($"/api/v1/api-keys/{target.Key.Id}/rotate", new { grace_period_seconds = 3600 }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        var newSecret = rotated.GetProperty("key").GetString()!;
        app.IssuedSecrets.Add(newSecret);
        Assert.Equal(app.Time.GetUtcNow().AddHours(1), rotated.GetProperty("previous_secret_expires_at").GetDateTimeOffset());

        app.Time.Advance(TimeSpan.FromMinutes(59));
        await (await app.CreateClientWithKey(target.Secret).GetAsync("/api/v1/contacts")).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await app.CreateClientWithKey(newSecret).GetAsync("/api/v1/contacts")).ShouldBeJsonAsync(HttpStatusCode.OK);

        app.Time.Advance(TimeSpan.FromMinutes(1));
        await (await app.CreateClientWithKey(target.Secret).GetAsync("/api/v1/contacts")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
        await (await app.CreateClientWithKey(newSecret).GetAsync("/api/v1/contacts")).ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(86_401)]
    public async Task Grace_period_outside_a_day_is_refused(int seconds)
    {
        var (client, key, _) = await app.CreateClientWithKeyAsync(Admin);

        var response = await client.PostAsJsonAsync($"/api/v1/api-keys/{key.Key.Id}/rotate", new { grace_period_seconds = seconds });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("grace_period_seconds", out _));
    }

    [Fact]
    public async Task Rotated_key_keeps_its_audit_trail()
    {
        var owner = await app.CreateMemberAsync();
        var admin = app.CreateClientWithKey((await app.CreateKeyAsync(owner, Admin)).Secret);
        var target = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);
        (await admin.PatchAsJsonAsync($"/api/v1/api-keys/{target.Key.Id}", new { name = "Renamed" })).EnsureSuccessStatusCode();
        app.Time.Advance(TimeSpan.FromMilliseconds(1));
        app.IssuedSecrets.Add((await (await admin.PostAsync($"/api/v1/api-keys/{target.Key.Id}/rotate", null))
            .ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("key").GetString()!);

        var events = await (await admin.GetAsync($"/api/v1/audit-events?key_id={target.Key.Id}")).ShouldBeJsonAsync(HttpStatusCode.OK);

        Assert.Equal(["api_key.rotated", "api_key.updated", "api_key.created"],
            events.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task Narrowing_scopes_takes_effect_on_the_next_request()
    {
        var owner = await app.CreateMemberAsync();
        var admin = app.CreateClientWithKey((await app.CreateKeyAsync(owner, Admin)).Secret);
        var target = await app.CreateKeyAsync(owner, [Scopes.ContactsWrite]);
        var client = app.CreateClientWithKey(target.Secret);
        (await client.PostAsJsonAsync("/api/v1/contacts", new { name = "Before" })).EnsureSuccessStatusCode();

        var patched = await (await admin.PatchAsJsonAsync($"/api/v1/api-keys/{target.Key.Id}", new { scopes = new[] { "contacts:read" } }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        var response = await client.PostAsJsonAsync("/api/v1/contacts", new { name = "After" });

        Assert.Equal(["contacts:read"], patched.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        await (await client.GetAsync("/api/v1/contacts")).ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Patch_changes_only_the_fields_sent_and_null_clears()
    {
        var owner = await app.CreateMemberAsync();
        var admin = app.CreateClientWithKey((await app.CreateKeyAsync(owner, Admin)).Secret);
        var target = await app.CreateKeyAsync(owner, [Scopes.ContactsRead], expiresAt: app.Time.GetUtcNow().AddDays(30));

        var renamed = await (await admin.PatchAsJsonAsync($"/api/v1/api-keys/{target.Key.Id}", new { name = "New name", rate_limit_per_minute = 50 }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        var cleared = await (await admin.PatchAsync($"/api/v1/api-keys/{target.Key.Id}",
            new StringContent("""{"expires_at": null, "rate_limit_per_minute": null}""", System.Text.Encoding.UTF8, "application/json")))
            .ShouldBeJsonAsync(HttpStatusCode.OK);

        Assert.Equal("New name", renamed.GetProperty("name").GetString());
        Assert.Equal(50, renamed.GetProperty("rate_limit_per_minute").GetInt32());
        Assert.Equal(["contacts:read"], renamed.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, renamed.GetProperty("expires_at").ValueKind);
        Assert.Equal("New name", cleared.GetProperty("name").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, cleared.GetProperty("expires_at").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, cleared.GetProperty("rate_limit_per_minute").ValueKind);
    }

    [Fact]
    public async Task Patch_validation_names_each_bad_field()
    {
        var (client, key, _) = await app.CreateClientWithKeyAsync(Admin);

        var response = await client.PatchAsJsonAsync($"/api/v1/api-keys/{key.Key.Id}", new
        {
            name = " ",
            rate_limit_per_minute = 0,
            allowed_ips = new[] { "10.0.0.0/8", "not-an-ip", "10.0.0.1/8" },
            allowed_referrers = new[] { "*.example.com", "https://example.com/path" },
        });

        var errors = (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        Assert.Equal(["allowed_ips[1]", "allowed_ips[2]", "allowed_referrers[1]", "name", "rate_limit_per_minute"],
            errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Scoped_key_cannot_widen_a_key_through_patch()
    {
        var (client, _, owner) = await app.CreateClientWithKeyAsync([Scopes.ApiKeysWrite, Scopes.ContactsRead]);
        var target = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);

        var response = await client.PatchAsJsonAsync($"/api/v1/api-keys/{target.Key.Id}", new { scopes = new[] { "contacts:write" } });

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "privilege_escalation");
    }

    [Fact]
    public async Task Deactivated_key_is_refused_until_activated_again()
    {
        var owner = await app.CreateMemberAsync();
        var admin = app.CreateClientWithKey((await app.CreateKeyAsync(owner, Admin)).Secret);
        var target = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);
        var client = app.CreateClientWithKey(target.Secret);

        var deactivated = await (await admin.PostAsync($"/api/v1/api-keys/{target.Key.Id}/deactivate", null)).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await client.GetAsync("/api/v1/contacts")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "api_key_inactive");
        var activated = await (await admin.PostAsync($"/api/v1/api-keys/{target.Key.Id}/activate", null)).ShouldBeJsonAsync(HttpStatusCode.OK);

        Assert.Equal("inactive", deactivated.GetProperty("status").GetString());
        Assert.Equal("active", activated.GetProperty("status").GetString());
        await (await client.GetAsync("/api/v1/contacts")).ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Revoked_key_cannot_be_activated_rotated_or_changed()
    {
        var owner = await app.CreateMemberAsync();
        var admin = app.CreateClientWithKey((await app.CreateKeyAsync(owner, Admin)).Secret);
        var target = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);
        await app.RevokeAsync(owner, target.Key.Id);

        await (await admin.PostAsync($"/api/v1/api-keys/{target.Key.Id}/activate", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "api_key_revoked");
        await (await admin.PostAsync($"/api/v1/api-keys/{target.Key.Id}/rotate", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "api_key_revoked");
        await (await app.CreateClientWithKey(target.Secret).GetAsync("/api/v1/contacts")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "api_key_revoked");
    }

    [Fact]
    public async Task Pair_form_works_and_a_mismatched_pair_is_refused()
    {
        var owner = await app.CreateMemberAsync();
        var key = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);
        var other = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);

        var pair = await SendPairAsync(key.Key.Id, key.Secret);
        var mismatched = await SendPairAsync(other.Key.Id, key.Secret);
        var idOnly = app.CreateClient();
        idOnly.DefaultRequestHeaders.Add("X-Api-Key", key.Key.Id);

        await pair.ShouldBeJsonAsync(HttpStatusCode.OK);
        await mismatched.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
        await (await idOnly.GetAsync("/api/v1/contacts")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    private Task<HttpResponseMessage> SendPairAsync(string keyId, string secret)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", keyId);
        client.DefaultRequestHeaders.Add("X-Api-Secret", secret);
        return client.GetAsync("/api/v1/contacts");
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Backside.Core.ApiKeys;
using Backside.Tests.Infrastructure;

namespace Backside.Tests.Api;

[Trait("Providers", "Both")]
public class ApiKeysApiTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    private static readonly string[] KeyAdmin = [Scopes.ApiKeysWrite, Scopes.ContactsWrite];

    [Fact]
    public async Task Created_key_is_returned_once_with_its_secret_and_works_at_once()
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync(KeyAdmin);

        var response = await client.PostAsJsonAsync("/api/v1/api-keys", new { name = "CI deploy", scopes = new[] { "contacts:read" } });

        var created = await response.ShouldBeJsonAsync(HttpStatusCode.Created);
        var secret = created.GetProperty("key").GetString()!;
        app.IssuedSecrets.Add(secret);
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal($"/api/v1/api-keys/{id}", response.Headers.Location?.OriginalString);
        Assert.True(ApiKeyFormat.TryParse(secret, out var livemode) && livemode);
        Assert.Equal(ApiKeyFormat.Hint(secret), created.GetProperty("hint").GetString());
        Assert.Equal("active", created.GetProperty("status").GetString());
        Assert.Equal("live", created.GetProperty("environment").GetString());
        Assert.Equal(["contacts:read"], created.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        var fetched = await (await client.GetAsync($"/api/v1/api-keys/{id}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, fetched);
        Assert.DoesNotContain("\"key\"", fetched);
        (await app.CreateClientWithKey(secret).GetAsync("/api/v1/contacts")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Key_cannot_create_a_key_with_a_scope_it_does_not_hold()
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync([Scopes.ApiKeysWrite, Scopes.ContactsRead]);

        var response = await client.PostAsJsonAsync("/api/v1/api-keys", new { name = "Broader", scopes = new[] { "contacts:write" } });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "privilege_escalation");
        Assert.Contains("contacts:write", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Scoped_key_cannot_create_a_full_access_key()
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync(KeyAdmin);

        var response = await client.PostAsJsonAsync("/api/v1/api-keys", new { name = "Everything", scopes = (string[]?)null });

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "privilege_escalation");
    }

    [Fact]
    public async Task Test_key_cannot_create_a_live_key()
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync(KeyAdmin, environment: "test");

        var response = await client.PostAsJsonAsync("/api/v1/api-keys", new { name = "Live", environment = "live", scopes = new[] { "contacts:read" } });

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "privilege_escalation");
    }

    [Fact]
    public async Task Expiring_key_cannot_create_a_key_that_outlives_it()
    {
        var expiresAt = app.Time.GetUtcNow().AddDays(1);
        var (client, _, _) = await app.CreateClientWithKeyAsync(KeyAdmin, expiresAt: expiresAt);

        var forever = await client.PostAsJsonAsync("/api/v1/api-keys", new { name = "Forever", scopes = new[] { "contacts:read" } });
        var shorter = await client.PostAsJsonAsync("/api/v1/api-keys", new { name = "Shorter", scopes = new[] { "contacts:read" }, expires_at = expiresAt.AddHours(-1) });

        await forever.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "privilege_escalation");
        app.IssuedSecrets.Add((await shorter.ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("key").GetString()!);
    }

    [Fact]
    public async Task Key_without_api_keys_write_cannot_create_keys()
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync([Scopes.ApiKeysRead]);

        var response = await client.PostAsJsonAsync("/api/v1/api-keys", new { name = "Nope", scopes = new[] { "api-keys:read" } });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.Equal("api-keys:write", problem.GetProperty("required_scope").GetString());
    }

    [Fact]
    public async Task Create_validates_every_field()
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync(KeyAdmin);

        var response = await client.PostAsJsonAsync("/api/v1/api-keys", new
        {
            name = "",
            environment = "prod",
            scopes = new[] { "contacts:delete" },
            expires_at = app.Time.GetUtcNow().AddDays(-1),
        });

        var errors = (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        Assert.Equal(["environment", "expires_at", "name", "scopes"], errors.EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task Empty_scope_list_is_refused_rather_than_read_as_no_access_or_full_access()
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync(KeyAdmin);

        var response = await client.PostAsJsonAsync("/api/v1/api-keys", new { name = "Nothing", scopes = Array.Empty<string>() });

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task List_shows_the_organizations_keys_of_the_callers_mode_without_secrets()
    {
        var owner = await app.CreateMemberAsync();
        var admin = await app.CreateKeyAsync(owner, [Scopes.ApiKeysRead], name: "Admin");
        var other = await app.CreateKeyAsync(owner, [Scopes.ContactsRead], name: "Other live");
        await app.CreateKeyAsync(owner, [Scopes.ContactsRead], environment: "test", name: "Test one");
        var revoked = await app.CreateKeyAsync(owner, [Scopes.ContactsRead], name: "Gone");
        await app.RevokeAsync(owner, revoked.Key.Id);
        await app.CreateClientWithKeyAsync([Scopes.ContactsRead]); // another organization

        var client = app.CreateClientWithKey(admin.Secret);
        var body = await (await client.GetAsync("/api/v1/api-keys")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var revokedList = await (await client.GetAsync("/api/v1/api-keys?status=revoked")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var searched = await (await client.GetAsync("/api/v1/api-keys?q=other")).ShouldBeJsonAsync(HttpStatusCode.OK);

        Assert.Equal(["Other live", "Admin"], Names(body));
        Assert.Equal(["Gone"], Names(revokedList));
        Assert.Equal(["Other live"], Names(searched));
        Assert.DoesNotContain(other.Secret, body.GetRawText());
    }

    [Theory]
    [InlineData("?status=deleted", "status")]
    [InlineData("?environment=prod", "environment")]
    [InlineData("?limit=1000", "limit")]
    [InlineData("?starting_after=con_0", "starting_after")]
    public async Task Bad_list_filters_are_a_validation_failure(string query, string field)
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync([Scopes.ApiKeysRead]);

        var response = await client.GetAsync($"/api/v1/api-keys{query}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Keys_of_another_organization_are_not_found()
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync(KeyAdmin);
        var (_, stranger, _) = await app.CreateClientWithKeyAsync([Scopes.ContactsRead]);

        await (await client.GetAsync($"/api/v1/api-keys/{stranger.Key.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "resource_not_found");
        await (await client.DeleteAsync($"/api/v1/api-keys/{stranger.Key.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "resource_not_found");
        await (await client.GetAsync("/api/v1/api-keys/not-an-id")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "resource_not_found");
    }

    [Fact]
    public async Task Revoking_twice_returns_the_same_revoked_key()
    {
        var owner = await app.CreateMemberAsync();
        var admin = app.CreateClientWithKey((await app.CreateKeyAsync(owner, KeyAdmin)).Secret);
        var target = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);

        var first = await (await admin.DeleteAsync($"/api/v1/api-keys/{target.Key.Id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var second = await (await admin.DeleteAsync($"/api/v1/api-keys/{target.Key.Id}")).ShouldBeJsonAsync(HttpStatusCode.OK);

        Assert.Equal("revoked", second.GetProperty("status").GetString());
        Assert.Equal(first.GetProperty("revoked_at").GetString(), second.GetProperty("revoked_at").GetString());
    }

    private static List<string?> Names(JsonElement list) =>
        list.GetProperty("data").EnumerateArray().Select(k => k.GetProperty("name").GetString()).ToList();
}

using System.Net;
using System.Net.Http.Json;
using Backside.Core.ApiKeys;
using Backside.Tests.Infrastructure;

namespace Backside.Tests.Authentication;

[Trait("Providers", "Both")]
public class ApiKeyAuthenticationTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    [Fact]
    public async Task Request_without_credentials_is_refused_with_missing_credentials()
    {
        // An unpriced route: on a priced one (GET /api/v1/contacts by default) the answer is 402 with payment offers.
        var response = await app.CreateClient().GetAsync("/api/v1/api-keys");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "missing_credentials");
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_refused_key_is_answered_401_on_protected_routes_but_does_not_block_anonymous_ones()
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", "bsk_live_not-a-key");

        var protectedRoute = await client.GetAsync("/api/v1/api-keys");
        var signIn = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "nobody@example.com", password = "wrong-password" });

        await protectedRoute.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
        Assert.False(protectedRoute.Headers.Contains("RateLimit"));
        await signIn.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Theory]
    [InlineData("Bearer bsk_live_short")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer bsk_live_ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ")]
    public async Task Garbage_in_the_authorization_header_is_an_invalid_api_key(string authorization)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);

        var response = await client.GetAsync("/api/v1/contacts");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task Bearer_token_that_is_not_a_key_is_judged_as_an_access_token()
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer not-a-key");

        var response = await client.GetAsync("/api/v1/contacts");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_access_token");
    }

    [Fact]
    public async Task Key_with_a_wrong_checksum_is_refused_without_touching_the_database()
    {
        var (_, key, _) = await app.CreateClientWithKeyAsync();
        var tampered = key.Secret[..^1] + (key.Secret[^1] == 'a' ? 'b' : 'a');
        var client = app.CreateClientWithKey(tampered);
        var commandsBefore = app.Commands.Count;

        var response = await client.GetAsync("/api/v1/contacts");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
        Assert.Equal(commandsBefore, app.Commands.Count);
    }

    [Fact]
    public async Task Well_formed_key_that_does_not_exist_is_an_invalid_api_key()
    {
        var client = app.CreateClientWithKey(ApiKeyFormat.Generate(livemode: true));

        var response = await client.GetAsync("/api/v1/contacts");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
        Assert.Equal("The API key is not valid.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Valid_key_is_accepted_as_a_bearer_token()
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync([Scopes.ContactsRead]);

        var response = await client.GetAsync("/api/v1/contacts");

        var body = await response.ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, body.GetProperty("data").GetArrayLength());
        Assert.False(body.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task Valid_key_is_accepted_in_the_x_api_key_header()
    {
        var (_, key, _) = await app.CreateClientWithKeyAsync([Scopes.ContactsRead]);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", key.Secret);

        var response = await client.GetAsync("/api/v1/contacts");

        await response.ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Bad_authorization_header_is_not_rescued_by_a_good_x_api_key()
    {
        var (_, key, _) = await app.CreateClientWithKeyAsync([Scopes.ContactsRead]);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer bsk_live_garbage");
        client.DefaultRequestHeaders.Add("X-API-Key", key.Secret);

        var response = await client.GetAsync("/api/v1/contacts");

        // Issue 13: two credentials are refused together, before either rail looks at them.
        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "ambiguous_credentials");
    }

    [Fact]
    public async Task Key_without_the_scope_is_forbidden_and_told_which_scope_it_needs()
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync([Scopes.ContactsRead]);

        var response = await client.PostAsJsonAsync("/api/v1/contacts", new { name = "Ada" });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.Equal("contacts:write", problem.GetProperty("required_scope").GetString());
    }

    [Fact]
    public async Task Write_scope_includes_read()
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync([Scopes.ContactsWrite]);

        var response = await client.GetAsync("/api/v1/contacts");

        await response.ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Revoked_key_is_refused_on_the_next_request()
    {
        var (client, key, owner) = await app.CreateClientWithKeyAsync([Scopes.ContactsRead]);
        (await client.GetAsync("/api/v1/contacts")).EnsureSuccessStatusCode();

        await app.RevokeAsync(owner, key.Key.Id);
        var response = await client.GetAsync("/api/v1/contacts");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "api_key_revoked");
    }

    [Fact]
    public async Task Key_that_revokes_itself_through_the_api_is_refused_on_its_next_request()
    {
        var (client, key, _) = await app.CreateClientWithKeyAsync([Scopes.ApiKeysWrite, Scopes.ContactsRead]);

        var revoke = await client.DeleteAsync($"/api/v1/api-keys/{key.Key.Id}");
        var body = await revoke.ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("revoked", body.GetProperty("status").GetString());

        var response = await client.GetAsync("/api/v1/contacts");
        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "api_key_revoked");
    }
}

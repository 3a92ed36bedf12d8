using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Backside.Core.ApiKeys;
using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Backside.Tests.Security;

/// <summary>The headers every kind of response carries, through the real pipeline.</summary>
public class SecurityHeadersTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    [Fact]
    public async Task Created_and_rotated_keys_are_answered_no_store()
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync([Scopes.ApiKeysWrite, Scopes.ContactsRead]);

        var created = await client.PostAsJsonAsync("/api/v1/api-keys", new { name = "Cached?", scopes = new[] { "contacts:read" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        AssertNoStore(created);
        AssertEverywhereHeaders(created);

        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var rotated = await client.PostAsync($"/api/v1/api-keys/{id}/rotate", JsonContent.Create(new { }));
        Assert.True(rotated.IsSuccessStatusCode, $"rotate answered {rotated.StatusCode}");
        AssertNoStore(rotated);
    }

    [Fact]
    public async Task Login_and_refresh_answers_are_no_store_whether_they_succeed_or_fail()
    {
        var email = $"cache-{Guid.NewGuid():N}@example.com";
        await app.CreateMemberAsync(email);

        var login = await app.LoginAsync(email);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        AssertNoStore(login);
        var refreshToken = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("refresh_token").GetString()!;

        var refreshed = await app.RefreshAsync(refreshToken);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        AssertNoStore(refreshed);

        var failed = await app.LoginAsync(email, "not the password");
        Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        AssertNoStore(failed);
        AssertEverywhereHeaders(failed);
    }

    [Fact]
    public async Task Every_api_answer_to_a_credentialed_request_is_no_store_refusals_included()
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync([Scopes.ApiKeysRead]);
        var listed = await client.GetAsync("/api/v1/api-keys");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        AssertNoStore(listed);

        var forbidden = await client.GetAsync("/api/v1/contacts");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        AssertNoStore(forbidden);
        AssertEverywhereHeaders(forbidden);

        var refused = await app.CreateClientWithKey("bsk_live_nonsense").GetAsync("/api/v1/api-keys");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        AssertNoStore(refused);
        AssertEverywhereHeaders(refused);
    }

    [Fact]
    public async Task Anonymous_api_problems_carry_nosniff_no_referrer_and_a_policy_that_allows_nothing()
    {
        var client = app.CreateClient();
        foreach (var path in new[] { "/api/v1/api-keys", "/api/v1/no-such-thing" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            AssertEverywhereHeaders(response);
            Assert.Equal("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'", Policy(response));
        }
    }

    [Fact]
    public async Task Health_static_files_and_dashboard_pages_carry_nosniff_no_referrer_and_a_policy()
    {
        var client = app.CreateClient();
        foreach (var path in new[] { "/health", "/app.css", "/favicon.png", "/Account/Login" })
        {
            var response = await client.GetAsync(path);
            Assert.True(response.IsSuccessStatusCode, $"{path} answered {response.StatusCode}");
            AssertEverywhereHeaders(response);
            Assert.Contains("frame-ancestors 'none'", Policy(response));
        }
    }

    [Fact]
    public async Task Dashboard_policy_allows_only_the_import_map_it_sent_with_a_fresh_nonce_per_response()
    {
        var client = app.CreateClient();
        var nonces = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var response = await client.GetAsync("/Account/Login");
            var policy = Policy(response);
            var nonce = Regex.Match(policy, "script-src 'self' 'nonce-([^']+)';").Groups[1].Value;
            Assert.NotEmpty(nonce);
            Assert.DoesNotContain("unsafe-inline", policy.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)));
            Assert.Contains("connect-src 'self'", policy);
            var html = await response.Content.ReadAsStringAsync();
            // The only inline script on the page is the framework's import map, and it carries this response's nonce.
            var inline = Regex.Matches(html, "<script(?![^>]*\\ssrc=)[^>]*>").Select(m => m.Value).ToList();
            Assert.NotEmpty(inline);
            Assert.All(inline, tag => Assert.Contains($"nonce=\"{nonce}\"", tag));
            Assert.DoesNotMatch(new Regex("\\son[a-z]+=\"", RegexOptions.IgnoreCase), html);
            nonces.Add(nonce);
        }
        Assert.NotEqual(nonces[0], nonces[1]);
    }

    [Fact]
    public void Kestrel_sends_no_server_header()
    {
        Assert.False(app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.AddServerHeader);
    }

    private static void AssertNoStore(HttpResponseMessage response) =>
        Assert.True(response.Headers.CacheControl?.NoStore == true,
            $"{response.RequestMessage?.RequestUri} answered Cache-Control '{response.Headers.CacheControl}'");

    private static void AssertEverywhereHeaders(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Single(response, "Referrer-Policy"));
        Assert.False(response.Headers.Contains("Server"));
    }

    private static string Policy(HttpResponseMessage response) => Single(response, "Content-Security-Policy");

    private static string Single(HttpResponseMessage response, string name) =>
        Assert.Single(response.Headers.TryGetValues(name, out var values) ? values : []);
}

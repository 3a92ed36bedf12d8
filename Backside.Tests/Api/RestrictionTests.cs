using System.Net;
using Backside.Core.ApiKeys;
using Backside.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Api;

public class RestrictionTests(ProxiedAppFactory app) : IClassFixture<ProxiedAppFactory>
{
    [Theory]
    [InlineData("203.0.113.0/24", "203.0.113.77", HttpStatusCode.OK)]
    [InlineData("203.0.113.0/24", "198.51.100.1", HttpStatusCode.Forbidden)]
    [InlineData("203.0.113.7", "203.0.113.7", HttpStatusCode.OK)]
    [InlineData("2001:db8::/32", "2001:db8:1::42", HttpStatusCode.OK)]
    [InlineData("2001:db8::/32", "2001:db9::1", HttpStatusCode.Forbidden)]
    [InlineData("203.0.113.0/24", "2001:db8::1", HttpStatusCode.Forbidden)]
    public async Task Ip_allowlist_admits_only_addresses_in_its_blocks(string allowed, string client, HttpStatusCode expected)
    {
        var key = await CreateRestrictedKeyAsync(allowedIps: [allowed]);

        var response = await app.CreateClientWithKey(key.Secret, client).GetAsync("/api/v1/contacts");

        if (expected == HttpStatusCode.OK)
            await response.ShouldBeJsonAsync(HttpStatusCode.OK);
        else
            Assert.Contains(client, (await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "ip_not_allowed")).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Forwarded_address_counts_only_when_the_proxy_is_trusted()
    {
        var key = await CreateRestrictedKeyAsync(allowedIps: ["203.0.113.0/24"]);
        var viaTrusted = app.CreateClientWithKey(key.Secret, ProxiedAppFactory.TrustedProxy);
        viaTrusted.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.5");
        var viaStranger = app.CreateClientWithKey(key.Secret, "10.0.0.2");
        viaStranger.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.5");

        await (await viaTrusted.GetAsync("/api/v1/contacts")).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await viaStranger.GetAsync("/api/v1/contacts")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "ip_not_allowed");
    }

    [Theory]
    [InlineData("https://app.example.com/page", HttpStatusCode.OK)]
    [InlineData("https://deep.app.example.com/", HttpStatusCode.OK)]
    [InlineData("https://shop.test/checkout", HttpStatusCode.OK)]
    [InlineData("https://example.com/", HttpStatusCode.Forbidden)]
    [InlineData("https://evil.com/?x=app.example.com", HttpStatusCode.Forbidden)]
    [InlineData("https://notexample.com/", HttpStatusCode.Forbidden)]
    [InlineData(null, HttpStatusCode.Forbidden)]
    public async Task Referrer_allowlist_admits_only_matching_hosts(string? referrer, HttpStatusCode expected)
    {
        var key = await CreateRestrictedKeyAsync(allowedReferrers: ["*.example.com", "shop.test"]);
        var client = app.CreateClientWithKey(key.Secret);
        if (referrer is not null)
            client.DefaultRequestHeaders.Referrer = new Uri(referrer);

        var response = await client.GetAsync("/api/v1/contacts");

        if (expected == HttpStatusCode.OK)
            await response.ShouldBeJsonAsync(HttpStatusCode.OK);
        else
            await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "referrer_not_allowed");
    }

    [Fact]
    public async Task Origin_header_counts_when_there_is_no_referrer()
    {
        var key = await CreateRestrictedKeyAsync(allowedReferrers: ["app.example.com"]);
        var client = app.CreateClientWithKey(key.Secret);
        client.DefaultRequestHeaders.Add("Origin", "https://app.example.com");

        await (await client.GetAsync("/api/v1/contacts")).ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    private async Task<CreatedApiKey> CreateRestrictedKeyAsync(IReadOnlyList<string>? allowedIps = null, IReadOnlyList<string>? allowedReferrers = null)
    {
        var owner = await app.CreateMemberAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync(owner,
            new CreateApiKeyCommand("Restricted", "live", [Scopes.ContactsRead], AllowedIps: allowedIps, AllowedReferrers: allowedReferrers));
        Assert.True(result.Succeeded, result.Error?.Message);
        app.IssuedSecrets.Add(result.Value!.Secret);
        return result.Value;
    }
}

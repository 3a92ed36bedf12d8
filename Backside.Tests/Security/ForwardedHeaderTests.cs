using System.Net;
using System.Net.Http.Json;
using Backside.Core.ApiKeys;
using Backside.Core.Usage;
using Backside.Tests.Infrastructure;

namespace Backside.Tests.Security;

/// <summary>With no trusted proxy configured (the shipped default), <c>X-Forwarded-For</c> is nobody's word.</summary>
public class ForwardedHeaderTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    [Fact]
    public async Task Without_trusted_proxies_a_forwarded_address_cannot_pass_an_ip_allowlist()
    {
        var owner = await app.CreateMemberAsync();
        var key = await app.CreateKeyAsync(owner, new CreateApiKeyCommand("Office only", AllowedIps: ["203.0.113.0/24"]));
        var client = app.CreateClientWithKey(key.Secret, "198.51.100.9");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.5");

        var problem = await (await client.GetAsync("/api/v1/contacts")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "ip_not_allowed");

        Assert.Contains("198.51.100.9", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Without_trusted_proxies_the_connection_address_is_what_the_app_records()
    {
        // Whose address the throttles, the audit log and the usage see: read back from the key's last use.
        var owner = await app.CreateMemberAsync();
        var key = await app.CreateKeyAsync(owner);
        var client = app.CreateClientWithKey(key.Secret, "198.51.100.10");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.99");

        await (await client.GetAsync("/api/v1/contacts")).ShouldBeJsonAsync(HttpStatusCode.OK);
        await app.WithServiceAsync<ApiKeyUsageFlusher, int>(flusher => flusher.FlushAsync(CancellationToken.None));
        var seen = await (await client.GetAsync($"/api/v1/api-keys/{key.Key.Id}")).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();

        Assert.Equal("198.51.100.10", seen.GetProperty("last_used_ip").GetString());
    }
}

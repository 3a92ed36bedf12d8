using System.Net;
using Backside.Core.ApiKeys;
using Backside.Tests.Infrastructure;

namespace Backside.Tests.Authentication;

/// <summary>Moves the app's clock, so it has an app of its own.</summary>
public class KeyExpiryTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    [Fact]
    public async Task Key_works_until_its_expiry_and_is_refused_as_expired_from_that_second()
    {
        var expiresAt = app.Time.GetUtcNow().AddHours(1);
        var (client, _, _) = await app.CreateClientWithKeyAsync([Scopes.ContactsRead], expiresAt: expiresAt);

        app.Time.Advance(TimeSpan.FromMinutes(59));
        (await client.GetAsync("/api/v1/contacts")).EnsureSuccessStatusCode();

        app.Time.Advance(TimeSpan.FromMinutes(1));
        var response = await client.GetAsync("/api/v1/contacts");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "api_key_expired");
    }
}

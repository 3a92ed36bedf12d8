using System.Net;
using Backside.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Backside.Tests.Api;

/// <summary>What happens at start when a generated secret can no longer be decrypted (the key ring is gone).</summary>
[Trait("Providers", "Both")]
public class ServerSecretTests
{
    [Fact]
    public async Task An_unreadable_signing_key_is_replaced_and_sign_in_goes_on()
    {
        await using var database = TestDatabase.Create();
        string email;
        await using (var first = BacksideAppFactory.OnDatabase(database))
        {
            email = $"user-{Guid.NewGuid():N}@example.com";
            await first.CreateMemberAsync(email);
            await first.StopGracefullyAsync();
        }
        await ScrambleAsync(database, "jwt-signing-key");

        await using var restarted = BacksideAppFactory.OnDatabase(database);

        await (await restarted.LoginAsync(email)).ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_unreadable_audit_key_stops_the_start_instead_of_breaking_every_chain()
    {
        await using var database = TestDatabase.Create();
        await using (var first = BacksideAppFactory.OnDatabase(database))
        {
            await first.CreateMemberAsync();
            await first.StopGracefullyAsync();
        }
        await ScrambleAsync(database, "audit-hmac-key");

        await using var restarted = BacksideAppFactory.OnDatabase(database);

        var refused = Assert.ThrowsAny<Exception>(() => restarted.CreateClient());
        Assert.Contains("cannot be decrypted", refused.ToString());
    }

    private static async Task ScrambleAsync(TestDatabase database, string name)
    {
        await using var db = database.Open();
        var changed = await db.ServerSecrets.Where(s => s.Name == name)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.ProtectedValue, "CfDJ8-not-a-payload-this-key-ring-made"));
        Assert.Equal(1, changed);
    }
}

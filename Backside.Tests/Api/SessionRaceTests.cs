using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Backside.Core.Identity;
using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Api;

/// <summary>A session cannot outlive a security change by racing it, nor act after its person left the organization.</summary>
public class SessionRaceTests(GatedAppFactory app) : IClassFixture<GatedAppFactory>
{
    [Fact]
    public async Task A_refresh_that_races_a_password_change_yields_a_token_that_no_longer_works()
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        await app.CreateMemberAsync(email);
        var refresh = (await (await app.LoginAsync(email)).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("refresh_token").GetString()!;
        // The refresh has claimed its token and is about to store the successor when the password changes.
        app.Gate.HoldNext(db => db.ChangeTracker.Entries<RefreshToken>().Any(e => e.State == EntityState.Added));

        var racing = app.CreateClient().PostAsJsonAsync("/api/v1/auth/refresh", new { refresh_token = refresh });
        await app.Gate.Reached;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var changed = await users.ChangePasswordAsync((await users.FindByEmailAsync(email))!, BacksideAppFactory.Password, "Another-Horse-10");
            Assert.True(changed.Succeeded);
        }
        app.Gate.Release();
        var successor = (await (await racing).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("refresh_token").GetString()!;

        var next = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/refresh", new { refresh_token = successor });

        await next.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "session_ended");
    }

    [Fact]
    public async Task An_access_token_of_someone_removed_from_the_organization_cannot_create_keys()
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        var owner = await app.CreateMemberAsync(email);
        var tokens = await (await app.LoginAsync(email)).ShouldBeJsonAsync(HttpStatusCode.OK);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        await using (var db = app.OpenDatabase())
            await db.OrganizationMembers.Where(m => m.UserId == owner.ActorId).ExecuteDeleteAsync();

        var response = await client.PostAsJsonAsync("/api/v1/api-keys", new { name = "After leaving" });

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "organization_membership_ended");
        await using var check = app.OpenDatabase();
        Assert.Equal(0, await check.ApiKeys.CountAsync(k => k.OrganizationId == owner.OrganizationId));
    }
}

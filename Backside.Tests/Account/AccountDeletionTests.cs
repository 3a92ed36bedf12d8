using System.Net;
using Backside.Core.ApiKeys;
using Backside.Core.Audit;
using Backside.Core.Common;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Account;

/// <summary>No key outlives the last person who could revoke it.</summary>
public class AccountDeletionTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    [Fact]
    public async Task Deleting_the_only_owner_revokes_the_organizations_keys_with_an_audit_event_each()
    {
        var owner = await app.CreateMemberAsync();
        var live = await app.CreateKeyAsync(owner, ["contacts:read"]);
        var test = await app.CreateKeyAsync(owner, ["contacts:read"], environment: "test");
        var inactive = await app.CreateKeyAsync(owner, ["contacts:read"]);
        await using (var scope = app.Services.CreateAsyncScope())
            Assert.True((await scope.ServiceProvider.GetRequiredService<ApiKeyService>().DeactivateAsync(owner, inactive.Key.Id)).Succeeded);
        var alreadyRevoked = await app.CreateKeyAsync(owner, ["contacts:read"]);
        await app.RevokeAsync(owner, alreadyRevoked.Key.Id);
        await (await app.CreateClientWithKey(live.Secret).GetAsync("/api/v1/contacts")).ShouldBeJsonAsync(HttpStatusCode.OK);

        var preview = await PreviewAsync(owner.ActorId);
        var result = await DeleteAsync(owner.ActorId, BacksideAppFactory.Password);

        var organization = Assert.Single(preview);
        Assert.Equal(owner.OrganizationId, organization.OrganizationId);
        Assert.EndsWith("'s organization", organization.OrganizationName);
        Assert.Equal(3, organization.KeyCount);
        Assert.Equal(3, Assert.Single(result.Value!).KeyCount);
        foreach (var key in new[] { live, test, inactive })
            await (await app.CreateClientWithKey(key.Secret).GetAsync("/api/v1/contacts")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "api_key_revoked");

        await using var db = app.OpenDatabase();
        Assert.False(await db.Users.AnyAsync(u => u.Id == owner.ActorId));
        var revocations = await db.AuditEvents
            .Where(e => e.OrganizationId == owner.OrganizationId && e.Action == AuditActions.ApiKeyRevoked)
            .ToListAsync();
        Assert.Equal(
            new[] { live.Key.Id, test.Key.Id, inactive.Key.Id, alreadyRevoked.Key.Id }.Order(),
            revocations.Select(e => e.ApiKeyId!).Order());
        Assert.All(revocations, e => Assert.Equal(owner.ActorId, e.ActorId));
    }

    [Fact]
    public async Task Keys_of_an_organization_that_keeps_another_owner_survive_the_deletion()
    {
        var owner = await app.CreateMemberAsync();
        var coOwner = await app.CreateMemberAsync();
        var key = await app.CreateKeyAsync(owner, ["contacts:read"]);
        await using (var db = app.OpenDatabase())
        {
            db.OrganizationMembers.Add(new OrganizationMember
            {
                OrganizationId = owner.OrganizationId,
                UserId = coOwner.ActorId,
                Role = OrganizationRole.Owner,
                CreatedAt = app.Time.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        }

        Assert.Empty(await PreviewAsync(owner.ActorId));
        Assert.True((await DeleteAsync(owner.ActorId, BacksideAppFactory.Password)).Succeeded);

        await (await app.CreateClientWithKey(key.Secret).GetAsync("/api/v1/contacts")).ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_wrong_password_deletes_nothing_and_revokes_nothing()
    {
        var owner = await app.CreateMemberAsync();
        var key = await app.CreateKeyAsync(owner, ["contacts:read"]);

        var result = await DeleteAsync(owner.ActorId, "not-the-password");

        Assert.Equal("invalid_password", result.Error?.Code);
        await (await app.CreateClientWithKey(key.Secret).GetAsync("/api/v1/contacts")).ShouldBeJsonAsync(HttpStatusCode.OK);
        await using var db = app.OpenDatabase();
        Assert.True(await db.Users.AnyAsync(u => u.Id == owner.ActorId));
    }

    private async Task<IReadOnlyList<OrphanedKeys>> PreviewAsync(string userId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AccountDeletion>().PreviewAsync(userId);
    }

    private async Task<OperationResult<OrphanedKeys[]>> DeleteAsync(string userId, string password)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByIdAsync(userId);
        return await scope.ServiceProvider.GetRequiredService<AccountDeletion>()
            .DeleteAsync(user!, password, new ClientInfo("203.0.113.9", "tests"));
    }
}

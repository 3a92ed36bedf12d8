using System.Net;
using System.Net.Http.Json;
using Backside.Core.ApiKeys;
using Backside.Core.Common;
using Backside.Core.Organizations;
using Backside.Tests.Infrastructure;

namespace Backside.Tests.Api;

/// <summary>
/// Keys made by a person who has since left stay with the organization, flagged <c>created_by_former_member</c> until
/// someone else rotates them; keys made by keys are never flagged.
/// </summary>
public class FormerMemberKeyTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    [Fact]
    public async Task A_key_made_by_someone_who_left_is_flagged_in_the_list_and_on_its_own()
    {
        var owner = await app.CreateMemberAsync();
        var admin = await app.AddMemberAsync(owner, OrganizationRole.Admin);
        var leftBehind = await app.CreateKeyAsync(admin, [Scopes.ContactsRead], name: "Left behind");
        var ownersKey = await app.CreateKeyAsync(owner, [Scopes.ContactsRead], name: "Owner's");
        var reader = await app.CreateKeyAsync(owner, scopes: null, name: "Reader");
        var client = app.CreateClientWithKey(reader.Secret);
        var madeByKey = await (await client.PostAsJsonAsync("/api/v1/api-keys", new { name = "By a key", scopes = new[] { "contacts:read" } }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        app.IssuedSecrets.Add(madeByKey.GetProperty("key").GetString()!);
        var beforeLeaving = await FlagAsync(client, leftBehind.Key.Id);

        await app.RemoveMemberAsync(admin);
        var list = await (await client.GetAsync("/api/v1/api-keys?limit=100")).ShouldBeJsonAsync(HttpStatusCode.OK);

        var flags = list.GetProperty("data").EnumerateArray()
            .ToDictionary(k => k.GetProperty("id").GetString()!, k => k.GetProperty("created_by_former_member").GetBoolean());
        Assert.False(beforeLeaving);
        Assert.True(flags[leftBehind.Key.Id]);
        Assert.False(flags[ownersKey.Key.Id]);
        Assert.False(flags[reader.Key.Id]);
        Assert.False(flags[madeByKey.GetProperty("id").GetString()!]);
        Assert.True(await FlagAsync(client, leftBehind.Key.Id));
    }

    [Fact]
    public async Task Rotating_by_someone_else_clears_the_flag_and_the_rotate_answer_says_so()
    {
        var owner = await app.CreateMemberAsync();
        var admin = await app.AddMemberAsync(owner, OrganizationRole.Admin);
        var leftBehind = await app.CreateKeyAsync(admin, [Scopes.ContactsRead]);
        var reader = await app.CreateKeyAsync(owner, scopes: null);
        var client = app.CreateClientWithKey(reader.Secret);
        await app.RemoveMemberAsync(admin);

        var rotated = await (await client.PostAsJsonAsync($"/api/v1/api-keys/{leftBehind.Key.Id}/rotate", new { }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        app.IssuedSecrets.Add(rotated.GetProperty("key").GetString()!);

        Assert.False(rotated.GetProperty("created_by_former_member").GetBoolean());
        Assert.False(await FlagAsync(client, leftBehind.Key.Id));
    }

    [Fact]
    public async Task A_rotation_the_leaver_made_themselves_does_not_clear_the_flag()
    {
        var owner = await app.CreateMemberAsync();
        var admin = await app.AddMemberAsync(owner, OrganizationRole.Admin);
        var leftBehind = await app.CreateKeyAsync(admin, [Scopes.ContactsRead]);
        Assert.True((await app.WithServiceAsync<ApiKeyService, OperationResult<CreatedApiKey>>(k => k.RotateAsync(admin, leftBehind.Key.Id, null))).Succeeded);
        await app.RemoveMemberAsync(admin);

        var key = await app.WithServiceAsync<ApiKeyService, OperationResult<ApiKey>>(k => k.GetAsync(owner, leftBehind.Key.Id));

        Assert.True(key.Value!.CreatedByFormerMember);
    }

    [Fact]
    public async Task A_key_rotating_itself_or_a_key_of_the_leaver_rotating_it_does_not_clear_the_flag()
    {
        var owner = await app.CreateMemberAsync();
        var admin = await app.AddMemberAsync(owner, OrganizationRole.Admin);
        var leftBehind = await app.CreateKeyAsync(admin, scopes: null, name: "Rotates itself");
        var sibling = await app.CreateKeyAsync(admin, [Scopes.ContactsRead], name: "Rotated by the leaver's key");
        var selfRotated = await (await app.CreateClientWithKey(leftBehind.Secret).PostAsJsonAsync($"/api/v1/api-keys/{leftBehind.Key.Id}/rotate", new { }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        var newSecret = selfRotated.GetProperty("key").GetString()!;
        app.IssuedSecrets.Add(newSecret);
        app.IssuedSecrets.Add((await (await app.CreateClientWithKey(newSecret).PostAsJsonAsync($"/api/v1/api-keys/{sibling.Key.Id}/rotate", new { }))
            .ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("key").GetString()!);
        await app.RemoveMemberAsync(admin);
        var reader = app.CreateClientWithKey((await app.CreateKeyAsync(owner, scopes: null, name: "Owner's")).Secret);

        Assert.True(await FlagAsync(reader, leftBehind.Key.Id));
        Assert.True(await FlagAsync(reader, sibling.Key.Id));
    }

    [Fact]
    public async Task The_flag_costs_the_same_queries_for_a_page_of_two_keys_as_for_a_page_of_twelve()
    {
        var owner = await app.CreateMemberAsync();
        var reader = await app.CreateKeyAsync(owner, scopes: null);
        var client = app.CreateClientWithKey(reader.Secret);
        await LeaveKeysBehindAsync(owner, 2);
        await client.GetAsync("/api/v1/api-keys?limit=100"); // warms the key cache
        var few = await CountCommandsAsync(client, flagged: 2);
        await LeaveKeysBehindAsync(owner, 10);

        var many = await CountCommandsAsync(client, flagged: 12);

        Assert.Equal(few, many);
    }

    private async Task LeaveKeysBehindAsync(Backside.Core.Identity.Caller owner, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var member = await app.AddMemberAsync(owner, OrganizationRole.Admin);
            await app.CreateKeyAsync(member, [Scopes.ContactsRead]);
            await app.RemoveMemberAsync(member);
        }
    }

    private async Task<int> CountCommandsAsync(HttpClient client, int flagged)
    {
        var before = app.Commands.Count;
        var list = await (await client.GetAsync("/api/v1/api-keys?limit=100")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var commands = app.Commands.Count - before;
        Assert.Equal(flagged, list.GetProperty("data").EnumerateArray().Count(k => k.GetProperty("created_by_former_member").GetBoolean()));
        return commands;
    }

    private static async Task<bool> FlagAsync(HttpClient client, string id)
    {
        var key = await (await client.GetAsync($"/api/v1/api-keys/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        return key.GetProperty("created_by_former_member").GetBoolean();
    }
}

using System.Net;
using System.Net.Http.Json;
using Backside.Core.ApiKeys;
using Backside.Core.Common;
using Backside.Core.Contacts;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Backside.Tests.Api;

/// <summary>
/// The rights matrix through Core, as the dashboard and the API both reach it: every role × key write × mode, and
/// every role × contact write. Allowed, or refused with the exact code and the right (or scope) it names, and then
/// nothing changed.
/// </summary>
public class RoleMatrixTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    public enum KeyOperation
    {
        Create,
        Update,
        Rotate,
        Revoke,
    }

    public enum ContactOperation
    {
        Create,
        Replace,
        Delete,
    }

    private static readonly OrganizationRole[] Roles =
        [OrganizationRole.Owner, OrganizationRole.Admin, OrganizationRole.Developer, OrganizationRole.Viewer];

    public static TheoryData<OrganizationRole, KeyOperation, string> KeyMatrix()
    {
        var data = new TheoryData<OrganizationRole, KeyOperation, string>();
        foreach (var role in Roles)
        {
            foreach (var operation in Enum.GetValues<KeyOperation>())
            {
                data.Add(role, operation, ApiKeyEnvironments.Live);
                data.Add(role, operation, ApiKeyEnvironments.Test);
            }
        }
        return data;
    }

    /// <summary>(code, required_right, required_scope) of the refusal, or null when the role may.</summary>
    private static (string Code, string? Right, string? Scope)? ExpectedForKeys(OrganizationRole role, string environment) => role switch
    {
        OrganizationRole.Owner or OrganizationRole.Admin => null,
        OrganizationRole.Developer when environment == ApiKeyEnvironments.Test => null,
        OrganizationRole.Developer => ("insufficient_role", "manage_live_keys", null),
        _ => ("insufficient_scope", null, Scopes.ApiKeysWrite),
    };

    [Theory]
    [MemberData(nameof(KeyMatrix))]
    public async Task A_role_manages_only_the_keys_its_rights_allow(OrganizationRole role, KeyOperation operation, string environment)
    {
        var owner = await app.CreateMemberAsync();
        var actor = role == OrganizationRole.Owner ? owner : await app.AddMemberAsync(owner, role);
        var target = operation == KeyOperation.Create ? null : await app.CreateKeyAsync(owner, [Scopes.ContactsRead], environment);
        var keysBefore = await CountKeysAsync(owner.OrganizationId);

        var error = await RunAsync(actor, operation, environment, target?.Key.Id);

        var expected = ExpectedForKeys(role, environment);
        if (expected is null)
        {
            Assert.True(error is null, $"{role} {operation} {environment}: {error?.Code} {error?.Message}");
            return;
        }
        Assert.NotNull(error);
        Assert.Equal((expected.Value.Code, expected.Value.Right, expected.Value.Scope), (error.Code, error.RequiredRight, error.RequiredScope));
        Assert.Equal(keysBefore, await CountKeysAsync(owner.OrganizationId));
        if (target is not null)
        {
            await using var db = app.OpenDatabase();
            var stored = await db.ApiKeys.SingleAsync(k => k.Id == target.Key.Id);
            Assert.Equal((target.Key.Name, ApiKeyStatus.Active, target.Key.Hint), (stored.Name, stored.Status, stored.Hint));
        }
    }

    public static TheoryData<OrganizationRole, ContactOperation> ContactMatrix()
    {
        var data = new TheoryData<OrganizationRole, ContactOperation>();
        foreach (var role in Roles)
        {
            foreach (var operation in Enum.GetValues<ContactOperation>())
                data.Add(role, operation);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ContactMatrix))]
    public async Task A_role_writes_live_contacts_only_with_the_right_to(OrganizationRole role, ContactOperation operation)
    {
        var owner = await app.CreateMemberAsync();
        var actor = role == OrganizationRole.Owner ? owner : await app.AddMemberAsync(owner, role);
        var existing = await CreateContactAsync(owner);

        var error = await RunAsync(actor, operation, existing.Id);

        (string Code, string? Right, string? Scope)? expected = role switch
        {
            OrganizationRole.Owner or OrganizationRole.Admin => null,
            OrganizationRole.Developer => ("insufficient_role", "write_live_data", null),
            _ => ("insufficient_scope", null, Scopes.ContactsWrite),
        };
        if (expected is null)
        {
            Assert.True(error is null, $"{role} {operation}: {error?.Code} {error?.Message}");
            return;
        }
        Assert.NotNull(error);
        Assert.Equal((expected.Value.Code, expected.Value.Right, expected.Value.Scope), (error.Code, error.RequiredRight, error.RequiredScope));
        await using var db = app.OpenDatabase();
        var contacts = await db.Contacts.Where(c => c.OrganizationId == owner.OrganizationId).ToListAsync();
        Assert.Equal(existing.Name, Assert.Single(contacts).Name);
    }

    [Fact]
    public async Task A_developer_writes_test_contacts()
    {
        var owner = await app.CreateMemberAsync();
        var developer = await app.AddMemberAsync(owner, OrganizationRole.Developer);

        var created = await app.WithServiceAsync<ContactService, OperationResult<Contact>>(
            c => c.CreateAsync(developer with { Livemode = false }, new ContactInput("Test contact", null, null, null)));

        Assert.True(created.Succeeded, created.Error?.Message);
        Assert.False(created.Value.Livemode);
    }

    [Fact]
    public async Task A_demotion_applies_to_the_next_contact_write_not_the_next_sign_in()
    {
        var owner = await app.CreateMemberAsync();
        var admin = await app.AddMemberAsync(owner, OrganizationRole.Admin);
        await app.SetRoleAsync(admin, OrganizationRole.Developer);

        // The caller still carries the Admin's scopes, as an access token issued before the demotion would.
        var error = await RunAsync(admin, ContactOperation.Create, contactId: null);

        Assert.Equal(("insufficient_role", "write_live_data"), (error?.Code, error?.RequiredRight));
    }

    [Fact]
    public async Task A_removed_member_cannot_write_contacts_with_an_old_caller()
    {
        var owner = await app.CreateMemberAsync();
        var admin = await app.AddMemberAsync(owner, OrganizationRole.Admin);
        await app.RemoveMemberAsync(admin);

        var error = await RunAsync(admin, ContactOperation.Create, contactId: null);

        Assert.Equal("organization_membership_ended", error?.Code);
    }

    [Fact]
    public async Task A_key_has_no_role_and_writes_contacts_with_its_scope()
    {
        var owner = await app.CreateMemberAsync();
        var developer = await app.AddMemberAsync(owner, OrganizationRole.Developer);
        var key = await app.CreateKeyAsync(developer, [Scopes.ContactsWrite], ApiKeyEnvironments.Test);
        var client = app.CreateClientWithKey(key.Secret);

        var created = await client.PostAsJsonAsync("/api/v1/contacts", new { name = "From a key" });

        Assert.False((await created.ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("livemode").GetBoolean());
    }

    [Fact]
    public async Task A_developer_cannot_grant_members_write_even_on_a_test_key()
    {
        var owner = await app.CreateMemberAsync();
        var developer = await app.AddMemberAsync(owner, OrganizationRole.Developer);

        var result = await app.WithServiceAsync<ApiKeyService, OperationResult<CreatedApiKey>>(k => k.CreateAsync(developer,
            new CreateApiKeyCommand("Too strong", ApiKeyEnvironments.Test, [Scopes.MembersWrite], null)));

        Assert.Equal(("privilege_escalation", PowerDimensions.Scopes), (result.Error?.Code, result.Error?.Dimension));
        Assert.Contains(Scopes.MembersWrite, result.Error!.Message);
    }

    [Fact]
    public async Task A_developer_cannot_widen_a_test_key_to_full_access_nor_touch_one_an_admin_made_stronger()
    {
        var owner = await app.CreateMemberAsync();
        var developer = await app.AddMemberAsync(owner, OrganizationRole.Developer);
        var own = await app.CreateKeyAsync(developer, [Scopes.ContactsRead], ApiKeyEnvironments.Test);
        var strong = await app.CreateKeyAsync(owner, [Scopes.MembersWrite], ApiKeyEnvironments.Test);

        var widened = await app.WithServiceAsync<ApiKeyService, OperationResult<ApiKey>>(k => k.UpdateAsync(developer, own.Key.Id,
            new UpdateApiKeyCommand { Scopes = new Optional<IReadOnlyList<string>?>(true, null) }));
        var revoked = await app.WithServiceAsync<ApiKeyService, OperationResult<ApiKey>>(k => k.RevokeAsync(developer, strong.Key.Id));

        Assert.Equal("privilege_escalation", widened.Error?.Code);
        Assert.Equal("privilege_escalation", revoked.Error?.Code);
    }

    private async Task<OperationError?> RunAsync(Caller actor, KeyOperation operation, string environment, string? keyId) => operation switch
    {
        KeyOperation.Create => (await app.WithServiceAsync<ApiKeyService, OperationResult<CreatedApiKey>>(k =>
            k.CreateAsync(actor, new CreateApiKeyCommand("Made by role", environment, [Scopes.ContactsRead], null)))).Error,
        KeyOperation.Update => (await app.WithServiceAsync<ApiKeyService, OperationResult<ApiKey>>(k =>
            k.UpdateAsync(actor, keyId!, new UpdateApiKeyCommand { Name = new Optional<string?>(true, "Renamed") }))).Error,
        KeyOperation.Rotate => (await app.WithServiceAsync<ApiKeyService, OperationResult<CreatedApiKey>>(k => k.RotateAsync(actor, keyId!, null))).Error,
        _ => (await app.WithServiceAsync<ApiKeyService, OperationResult<ApiKey>>(k => k.RevokeAsync(actor, keyId!))).Error,
    };

    private async Task<OperationError?> RunAsync(Caller actor, ContactOperation operation, string? contactId) => operation switch
    {
        ContactOperation.Create => (await app.WithServiceAsync<ContactService, OperationResult<Contact>>(c =>
            c.CreateAsync(actor, new ContactInput("New contact", null, null, null)))).Error,
        ContactOperation.Replace => (await app.WithServiceAsync<ContactService, OperationResult<Contact>>(c =>
            c.ReplaceAsync(actor, contactId!, new ContactInput("Replaced", null, null, null)))).Error,
        _ => (await app.WithServiceAsync<ContactService, OperationResult<Contact>>(c => c.DeleteAsync(actor, contactId!))).Error,
    };

    private async Task<Contact> CreateContactAsync(Caller owner)
    {
        var result = await app.WithServiceAsync<ContactService, OperationResult<Contact>>(c =>
            c.CreateAsync(owner, new ContactInput("Existing contact", null, null, null)));
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Value;
    }

    private async Task<int> CountKeysAsync(string organizationId)
    {
        await using var db = app.OpenDatabase();
        return await db.ApiKeys.CountAsync(k => k.OrganizationId == organizationId);
    }
}

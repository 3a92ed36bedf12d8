using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Backside.Core.ApiKeys;
using Backside.Core.Common;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Tests.Infrastructure;

namespace Backside.Tests.Api;

/// <summary>
/// An organization's key policies, read fresh inside each write: the maximum lifetime of live keys, two-factor
/// sign-in required to manage keys, and the rotation reminder age.
/// </summary>
public class KeyPolicyTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    private const int MaxDays = 30;

    [Fact]
    public async Task A_live_key_without_an_expiry_is_refused_when_the_organization_caps_live_key_lifetime()
    {
        var owner = await CappedOwnerAsync();

        var result = await CreateAsync(owner, ApiKeyEnvironments.Live, expiresAt: null);

        var message = Assert.Single(ExpiryErrors(result));
        Assert.Contains("organization's policy", message);
        Assert.Contains($"{MaxDays} days", message);
    }

    [Fact]
    public async Task A_live_key_expiring_later_than_the_cap_is_refused_and_one_within_it_is_made()
    {
        var owner = await CappedOwnerAsync();
        var now = app.Time.GetUtcNow();

        var tooFar = await CreateAsync(owner, ApiKeyEnvironments.Live, now.AddDays(MaxDays).AddSeconds(1));
        var atTheCap = await CreateAsync(owner, ApiKeyEnvironments.Live, now.AddDays(MaxDays));

        Assert.Contains($"{MaxDays} days", Assert.Single(ExpiryErrors(tooFar)));
        Assert.True(atTheCap.Succeeded, atTheCap.Error?.Message);
    }

    [Fact]
    public async Task Test_keys_are_exempt_from_the_lifetime_cap()
    {
        var owner = await CappedOwnerAsync();

        var result = await CreateAsync(owner, ApiKeyEnvironments.Test, expiresAt: null);

        Assert.True(result.Succeeded, result.Error?.Message);
    }

    [Fact]
    public async Task Keys_made_before_the_cap_keep_working_and_rotate_with_their_expiry_but_a_new_expiry_must_obey()
    {
        var owner = await app.CreateMemberAsync();
        var old = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);
        await app.SetPolicyAsync(owner.OrganizationId, o => o.MaxLiveKeyLifetimeDays = MaxDays);

        var renamed = await UpdateAsync(owner, old.Key.Id, new UpdateApiKeyCommand { Name = new Optional<string?>(true, "Renamed") });
        var rotated = await app.WithServiceAsync<ApiKeyService, OperationResult<CreatedApiKey>>(k => k.RotateAsync(owner, old.Key.Id, null));
        var cleared = await UpdateAsync(owner, old.Key.Id, new UpdateApiKeyCommand { ExpiresAt = new Optional<DateTimeOffset?>(true, null) });
        var tooFar = await UpdateAsync(owner, old.Key.Id, new UpdateApiKeyCommand { ExpiresAt = new Optional<DateTimeOffset?>(true, app.Time.GetUtcNow().AddDays(90)) });
        var within = await UpdateAsync(owner, old.Key.Id, new UpdateApiKeyCommand { ExpiresAt = new Optional<DateTimeOffset?>(true, app.Time.GetUtcNow().AddDays(10)) });

        Assert.True(renamed.Succeeded, renamed.Error?.Message);
        Assert.True(rotated.Succeeded, rotated.Error?.Message);
        Assert.Null(rotated.Value!.Key.ExpiresAt);
        Assert.Contains($"{MaxDays} days", Assert.Single(ExpiryErrors(cleared)));
        Assert.Contains($"{MaxDays} days", Assert.Single(ExpiryErrors(tooFar)));
        Assert.True(within.Succeeded, within.Error?.Message);
    }

    [Fact]
    public async Task The_cap_binds_keys_creating_keys_too_and_the_api_names_expires_at()
    {
        var (client, _, owner) = await app.CreateClientWithKeyAsync(scopes: null);
        await app.SetPolicyAsync(owner.OrganizationId, o => o.MaxLiveKeyLifetimeDays = MaxDays);

        var response = await client.PostAsJsonAsync("/api/v1/api-keys", new { name = "Forever", environment = "live" });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains($"{MaxDays} days", problem.GetProperty("errors").GetProperty("expires_at")[0].GetString());
    }

    public enum KeyWrite
    {
        Create,
        Update,
        Rotate,
        Deactivate,
        Activate,
        Revoke,
    }

    [Theory]
    [InlineData(KeyWrite.Create)]
    [InlineData(KeyWrite.Update)]
    [InlineData(KeyWrite.Rotate)]
    [InlineData(KeyWrite.Deactivate)]
    [InlineData(KeyWrite.Activate)]
    [InlineData(KeyWrite.Revoke)]
    public async Task A_person_without_two_factor_may_not_manage_keys_when_the_organization_requires_it(KeyWrite write)
    {
        var owner = await app.CreateMemberAsync();
        var target = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);
        if (write == KeyWrite.Activate)
            Assert.True((await app.WithServiceAsync<ApiKeyService, OperationResult<ApiKey>>(k => k.DeactivateAsync(owner, target.Key.Id))).Succeeded);
        await app.SetPolicyAsync(owner.OrganizationId, o => o.RequireTwoFactorForKeys = true);

        var refused = await RunAsync(owner, write, target.Key.Id);
        await app.SetTwoFactorAsync(owner.ActorId, enabled: true);
        var allowed = await RunAsync(owner, write, target.Key.Id);

        Assert.Equal(ErrorKind.Forbidden, refused?.Kind);
        Assert.Equal("two_factor_required", refused?.Code);
        Assert.Contains("Account > Two-factor authentication", refused?.Message);
        Assert.True(allowed is null, allowed?.Message);
    }

    [Fact]
    public async Task A_key_acting_through_the_api_is_not_asked_for_two_factor()
    {
        var (client, _, owner) = await app.CreateClientWithKeyAsync(scopes: null);
        await app.SetPolicyAsync(owner.OrganizationId, o => o.RequireTwoFactorForKeys = true);

        var response = await client.PostAsJsonAsync("/api/v1/api-keys", new { name = "By a key", scopes = new[] { "contacts:read" } });

        var created = await response.ShouldBeJsonAsync(HttpStatusCode.Created);
        app.IssuedSecrets.Add(created.GetProperty("key").GetString()!);
    }

    [Fact]
    public async Task An_access_token_without_two_factor_gets_403_two_factor_required_saying_where_to_turn_it_on()
    {
        var email = $"policy-{Guid.NewGuid():N}@example.com";
        var owner = await app.CreateMemberAsync(email);
        await app.SetPolicyAsync(owner.OrganizationId, o => o.RequireTwoFactorForKeys = true);
        var tokens = await (await app.LoginAsync(email)).ShouldBeJsonAsync(HttpStatusCode.OK);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());

        var response = await client.PostAsJsonAsync("/api/v1/api-keys", new { name = "Nope", scopes = new[] { "contacts:read" } });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "two_factor_required");
        Assert.Equal("Two-factor authentication required", problem.GetProperty("title").GetString());
        Assert.Contains("Account > Two-factor authentication", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_rotation_reminder_is_the_organizations_own()
    {
        var owner = await app.CreateMemberAsync();
        await app.SetPolicyAsync(owner.OrganizationId, o => o.RotationReminderDays = 30);
        var key = (await app.CreateKeyAsync(owner, [Scopes.ContactsRead])).Key;

        var policy = await app.WithServiceAsync<ApiKeyService, OrganizationKeyPolicy>(k => k.GetPolicyAsync(owner));

        Assert.Equal(30, policy.RotationReminderDays);
        Assert.False(policy.IsRotationDue(key, key.SecretCreatedAt.AddDays(30).AddSeconds(-1)));
        Assert.True(policy.IsRotationDue(key, key.SecretCreatedAt.AddDays(30)));
        Assert.False(OrganizationKeyPolicy.Default.IsRotationDue(key, key.SecretCreatedAt.AddDays(30)));
    }

    private async Task<Caller> CappedOwnerAsync()
    {
        var owner = await app.CreateMemberAsync();
        await app.SetPolicyAsync(owner.OrganizationId, o => o.MaxLiveKeyLifetimeDays = MaxDays);
        return owner;
    }

    private Task<OperationResult<CreatedApiKey>> CreateAsync(Caller caller, string environment, DateTimeOffset? expiresAt) =>
        app.WithServiceAsync<ApiKeyService, OperationResult<CreatedApiKey>>(k =>
            k.CreateAsync(caller, new CreateApiKeyCommand("Capped", environment, [Scopes.ContactsRead], expiresAt)));

    private Task<OperationResult<ApiKey>> UpdateAsync(Caller caller, string id, UpdateApiKeyCommand command) =>
        app.WithServiceAsync<ApiKeyService, OperationResult<ApiKey>>(k => k.UpdateAsync(caller, id, command));

    private static string[] ExpiryErrors<T>(OperationResult<T> result)
    {
        Assert.Equal("validation_failed", result.Error?.Code);
        return result.Error!.FieldErrors!["expires_at"];
    }

    private async Task<OperationError?> RunAsync(Caller caller, KeyWrite write, string id) => write switch
    {
        KeyWrite.Create => (await CreateAsync(caller, ApiKeyEnvironments.Test, null)).Error,
        KeyWrite.Update => (await UpdateAsync(caller, id, new UpdateApiKeyCommand { Name = new Optional<string?>(true, $"Renamed {Guid.NewGuid():N}") })).Error,
        KeyWrite.Rotate => (await app.WithServiceAsync<ApiKeyService, OperationResult<CreatedApiKey>>(k => k.RotateAsync(caller, id, null))).Error,
        KeyWrite.Deactivate => (await app.WithServiceAsync<ApiKeyService, OperationResult<ApiKey>>(k => k.DeactivateAsync(caller, id))).Error,
        KeyWrite.Activate => (await app.WithServiceAsync<ApiKeyService, OperationResult<ApiKey>>(k => k.ActivateAsync(caller, id))).Error,
        _ => (await app.WithServiceAsync<ApiKeyService, OperationResult<ApiKey>>(k => k.RevokeAsync(caller, id))).Error,
    };
}

using System.Net;
using System.Net.Http.Json;
using Backside.Core.ApiKeys;
using Backside.Core.Common;
using Backside.Core.Identity;
using Backside.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Backside.Tests.Api;

/// <summary>
/// The privilege rule through the real API, as a matrix: every write operation × every power dimension × a target
/// narrower than, equal to, wider than or unbounded compared with the acting key. Narrower and equal are allowed;
/// wider and unbounded get 403 <c>privilege_escalation</c> naming the dimension, and change nothing.
/// </summary>
public class PrivilegeRuleTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    /// <summary>Where the acting key's requests come from: inside its own allowlists.</summary>
    private const string ClientAddress = "10.1.2.3";
    private const string ClientReferrer = "https://ci.example.com/deploy";

    public enum Level
    {
        Narrower,
        Equal,
        Wider,

        /// <summary>No bound at all in this dimension: full access, no expiry, no allowlist, the default limit.</summary>
        Unbounded,
    }

    public enum Operation
    {
        Create,
        Update,
        Rotate,
        Deactivate,
        Activate,
        Revoke,
    }

    /// <summary>The acting key: bounded in every dimension (fixed once per test; creating keys moves the clock).</summary>
    private KeySettings Actor { get; } = new(
        Scopes: [Scopes.ApiKeysWrite, Scopes.ContactsWrite],
        Environment: "live",
        ExpiresAt: app.Time.GetUtcNow().AddDays(30),
        Ips: ["10.0.0.0/8"],
        Referrers: ["*.example.com"],
        RateLimit: 100);

    /// <summary>The actor's settings with one dimension moved to <paramref name="level"/>.</summary>
    private KeySettings Vary(string dimension, Level level)
    {
        var actor = Actor;
        return (dimension, level) switch
        {
            (_, Level.Equal) => actor,
            (PowerDimensions.Scopes, Level.Narrower) => actor with { Scopes = [Scopes.ApiKeysWrite, Scopes.ContactsRead] },
            (PowerDimensions.Scopes, Level.Wider) => actor with { Scopes = [Scopes.ApiKeysWrite, Scopes.ContactsWrite, Scopes.UsageRead] },
            (PowerDimensions.Scopes, Level.Unbounded) => actor with { Scopes = null },
            (PowerDimensions.ExpiresAt, Level.Narrower) => actor with { ExpiresAt = actor.ExpiresAt!.Value.AddDays(-20) },
            (PowerDimensions.ExpiresAt, Level.Wider) => actor with { ExpiresAt = actor.ExpiresAt!.Value.AddSeconds(1) },
            (PowerDimensions.ExpiresAt, Level.Unbounded) => actor with { ExpiresAt = null },
            (PowerDimensions.AllowedIps, Level.Narrower) => actor with { Ips = ["10.1.0.0/16", "10.200.0.7"] },
            (PowerDimensions.AllowedIps, Level.Wider) => actor with { Ips = ["10.1.0.0/16", "11.0.0.0/24"] },
            (PowerDimensions.AllowedIps, Level.Unbounded) => actor with { Ips = [] },
            (PowerDimensions.AllowedReferrers, Level.Narrower) => actor with { Referrers = ["ci.example.com", "*.eu.example.com"] },
            (PowerDimensions.AllowedReferrers, Level.Wider) => actor with { Referrers = ["ci.example.com", "example.com"] },
            (PowerDimensions.AllowedReferrers, Level.Unbounded) => actor with { Referrers = [] },
            (PowerDimensions.RateLimitPerMinute, Level.Narrower) => actor with { RateLimit = 99 },
            (PowerDimensions.RateLimitPerMinute, Level.Wider) => actor with { RateLimit = 101 },
            // No limit of its own: the configured default (600) applies, above the actor's 100.
            (PowerDimensions.RateLimitPerMinute, Level.Unbounded) => actor with { RateLimit = null },
            (PowerDimensions.Environment, Level.Wider) => actor with { Environment = "test" },
            _ => throw new ArgumentOutOfRangeException(nameof(level), $"{dimension} has no {level} variant."),
        };
    }

    private static readonly string[] BoundedDimensions =
    [
        PowerDimensions.Scopes, PowerDimensions.ExpiresAt, PowerDimensions.AllowedIps,
        PowerDimensions.AllowedReferrers, PowerDimensions.RateLimitPerMinute,
    ];

    public static TheoryData<Operation, string, Level> Matrix()
    {
        var data = new TheoryData<Operation, string, Level>();
        foreach (var operation in Enum.GetValues<Operation>())
        {
            foreach (var dimension in BoundedDimensions)
            {
                foreach (var level in Enum.GetValues<Level>())
                    data.Add(operation, dimension, level);
            }
            data.Add(operation, PowerDimensions.Environment, Level.Equal);
            data.Add(operation, PowerDimensions.Environment, Level.Wider);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task A_key_acts_only_on_keys_within_its_power(Operation operation, string dimension, Level level)
    {
        var owner = await OwnerAsync();
        var actor = await CreateKeyAsync(owner, Actor);
        var client = ActorClient(actor.Secret);
        var settings = Vary(dimension, level);
        var target = operation == Operation.Create ? null : await CreateKeyAsync(owner, settings);
        if (operation == Operation.Activate && target is not null)
            Assert.True((await app.WithServiceAsync<ApiKeyService, OperationResult<ApiKey>>(s => s.DeactivateAsync(owner, target.Key.Id))).Succeeded);
        var before = target is null ? null : await LoadAsync(owner, target.Key.Id);
        var keysBefore = await CountKeysAsync();

        var response = await SendAsync(client, operation, target?.Key.Id, settings);

        var allowed = level is Level.Narrower or Level.Equal;
        if (allowed)
        {
            Assert.True(response.IsSuccessStatusCode, $"{operation} {dimension} {level}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            TrackSecret(await response.Content.ReadAsStringAsync());
        }
        else if (dimension == PowerDimensions.Environment && target is not null)
        {
            // A key sees only keys of its own mode: one of the other mode is not there for it.
            await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "resource_not_found");
        }
        else
        {
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "privilege_escalation");
            Assert.Equal(dimension, problem.GetProperty("dimension").GetString());
        }

        if (!allowed && before is not null)
            await AssertUnchangedAsync(owner, before);
        if (!allowed)
            Assert.Equal(keysBefore, await CountKeysAsync());
    }

    public static TheoryData<string, Level> UpdateResults()
    {
        var data = new TheoryData<string, Level>();
        foreach (var dimension in BoundedDimensions)
        {
            foreach (var level in Enum.GetValues<Level>())
                data.Add(dimension, level);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(UpdateResults))]
    public async Task An_update_must_leave_the_key_within_the_callers_power(string dimension, Level level)
    {
        var owner = await OwnerAsync();
        var actor = await CreateKeyAsync(owner, Actor);
        var target = await CreateKeyAsync(owner, Actor);
        var before = await LoadAsync(owner, target.Key.Id);

        var response = await ActorClient(actor.Secret).PatchAsJsonAsync($"/api/v1/api-keys/{target.Key.Id}", Patch(dimension, Vary(dimension, level)));

        await AssertVerdictAsync(response, dimension, level);
        if (level is Level.Wider or Level.Unbounded)
            await AssertUnchangedAsync(owner, before);
    }

    [Theory]
    [MemberData(nameof(UpdateResults))]
    public async Task A_key_can_tighten_itself_but_never_loosen_itself(string dimension, Level level)
    {
        var owner = await OwnerAsync();
        var actor = await CreateKeyAsync(owner, Actor);
        var before = await LoadAsync(owner, actor.Key.Id);

        var response = await ActorClient(actor.Secret).PatchAsJsonAsync($"/api/v1/api-keys/{actor.Key.Id}", Patch(dimension, Vary(dimension, level)));

        await AssertVerdictAsync(response, dimension, level);
        if (level is Level.Wider or Level.Unbounded)
            await AssertUnchangedAsync(owner, before);
    }

    public static TheoryData<string> Dimensions() => new(PowerDimensions.All);

    /// <summary>The rule lives in the Core service that the dashboard and the API share, not in the endpoints.</summary>
    [Theory]
    [MemberData(nameof(Dimensions))]
    public async Task The_shared_key_service_refuses_a_key_caller_beyond_its_power(string dimension)
    {
        var owner = await OwnerAsync();
        var actor = await CreateKeyAsync(owner, Actor);
        var keyCaller = await AuthenticatedAsAsync(actor);
        var wider = Vary(dimension, Level.Wider);

        var result = await app.WithServiceAsync<ApiKeyService, OperationResult<CreatedApiKey>>(s => s.CreateAsync(keyCaller,
            new CreateApiKeyCommand("Wider", wider.Environment, wider.Scopes, wider.ExpiresAt, wider.RateLimit, wider.Ips, wider.Referrers)));

        Assert.False(result.Succeeded);
        Assert.Equal("privilege_escalation", result.Error.Code);
        Assert.Equal(dimension, result.Error.Dimension);
    }

    [Fact]
    public async Task The_reported_case_a_narrow_key_cannot_rotate_a_full_access_key()
    {
        var owner = await OwnerAsync();
        var full = await CreateKeyAsync(owner, new KeySettings(null, "live", null, [], [], null));
        var narrow = await CreateKeyAsync(owner, new KeySettings([Scopes.ApiKeysWrite], "live", app.Time.GetUtcNow().AddDays(1), [], [], null));

        var response = await app.CreateClientWithKey(narrow.Secret).PostAsync($"/api/v1/api-keys/{full.Key.Id}/rotate", null);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "privilege_escalation");
        Assert.Equal("scopes", problem.GetProperty("dimension").GetString());
        Assert.DoesNotContain("bsk_", await response.Content.ReadAsStringAsync());
        (await app.CreateClientWithKey(full.Secret).GetAsync("/api/v1/contacts")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_person_acts_with_their_roles_rights_not_a_keys_bounds()
    {
        var owner = await OwnerAsync();
        var bounded = await CreateKeyAsync(owner, Actor);
        // The catalog's widest limit, on a plan that allows it (Free stops at 6000).
        await app.ChangePlanAsync(owner.OrganizationId, BacksideAppFactory.UnboundedPlan);

        var result = await app.WithServiceAsync<ApiKeyService, OperationResult<ApiKey>>(s => s.UpdateAsync(owner, bounded.Key.Id, new UpdateApiKeyCommand
        {
            Scopes = new(true, null),
            ExpiresAt = new(true, null),
            AllowedIps = new(true, []),
            AllowedReferrers = new(true, []),
            RateLimitPerMinute = new(true, ApiKeyLimits.MaxRateLimitPerMinute),
        }));

        Assert.True(result.Succeeded, result.Error?.Message);
    }

    [Fact]
    public async Task An_old_secret_in_its_grace_window_cannot_manage_keys()
    {
        var owner = await OwnerAsync();
        var actor = await CreateKeyAsync(owner, Actor with { ExpiresAt = null });
        var rotated = await app.WithServiceAsync<ApiKeyService, OperationResult<CreatedApiKey>>(s => s.RotateAsync(owner, actor.Key.Id, 3600));
        Assert.True(rotated.Succeeded);
        app.IssuedSecrets.Add(rotated.Value.Secret);
        var old = ActorClient(actor.Secret);
        await (await old.GetAsync($"/api/v1/api-keys/{actor.Key.Id}")).ShouldBeJsonAsync(HttpStatusCode.OK); // it still reads

        var takeOver = await old.PostAsync($"/api/v1/api-keys/{actor.Key.Id}/rotate", null);
        var forever = await old.PostAsJsonAsync("/api/v1/api-keys", Body(Actor with { ExpiresAt = null }));

        foreach (var response in new[] { takeOver, forever })
        {
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "privilege_escalation");
            Assert.Equal("expires_at", problem.GetProperty("dimension").GetString());
        }
        await (await ActorClient(rotated.Value.Secret).PostAsync($"/api/v1/api-keys/{actor.Key.Id}/rotate", null)).ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_key_revoked_while_its_request_runs_cannot_finish_a_write()
    {
        var owner = await OwnerAsync();
        var actor = await CreateKeyAsync(owner, Actor);
        var authenticatedAs = await AuthenticatedAsAsync(actor);
        await app.RevokeAsync(owner, actor.Key.Id);

        var result = await app.WithServiceAsync<ApiKeyService, OperationResult<CreatedApiKey>>(s => s.CreateAsync(authenticatedAs,
            new CreateApiKeyCommand("After the revoke", "live", Actor.Scopes, Actor.ExpiresAt, Actor.RateLimit, Actor.Ips, Actor.Referrers)));

        Assert.False(result.Succeeded);
        Assert.Equal(ErrorKind.Unauthenticated, result.Error.Kind);
        Assert.Equal("api_key_revoked", result.Error.Code);
    }

    [Fact]
    public async Task A_key_narrowed_while_its_request_runs_acts_with_its_new_power()
    {
        var owner = await OwnerAsync();
        var actor = await CreateKeyAsync(owner, Actor);
        var authenticatedAs = await AuthenticatedAsAsync(actor);
        var narrowed = await app.WithServiceAsync<ApiKeyService, OperationResult<ApiKey>>(s => s.UpdateAsync(owner, actor.Key.Id,
            new UpdateApiKeyCommand { RateLimitPerMinute = new(true, 10) }));
        Assert.True(narrowed.Succeeded);

        var result = await app.WithServiceAsync<ApiKeyService, OperationResult<ApiKey>>(s => s.UpdateAsync(authenticatedAs, actor.Key.Id,
            new UpdateApiKeyCommand { RateLimitPerMinute = new(true, Actor.RateLimit) }));

        Assert.False(result.Succeeded);
        Assert.Equal("rate_limit_per_minute", result.Error.Dimension);
    }

    [Theory]
    [InlineData(600, true)]
    [InlineData(601, false)]
    [InlineData(null, true)]
    public async Task A_key_without_a_limit_of_its_own_has_the_default(int? childLimit, bool allowed)
    {
        var owner = await OwnerAsync();
        var actor = await CreateKeyAsync(owner, Actor with { RateLimit = null }); // the configured default, 600

        var response = await ActorClient(actor.Secret).PostAsJsonAsync("/api/v1/api-keys", Body(Actor with { RateLimit = childLimit }));

        if (allowed)
            TrackSecret(await response.Content.ReadAsStringAsync());
        await AssertVerdictAsync(response, PowerDimensions.RateLimitPerMinute, allowed ? Level.Equal : Level.Wider, HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_paying_wallet_cannot_manage_keys()
    {
        var owner = await OwnerAsync();
        var wallet = new Caller(owner.OrganizationId, CallerKind.Wallet, "0x0000000000000000000000000000000000000001", ScopeSet.Full, Livemode: true);

        var result = await app.WithServiceAsync<ApiKeyService, OperationResult<CreatedApiKey>>(s => s.CreateAsync(wallet, new CreateApiKeyCommand("Bought")));

        Assert.False(result.Succeeded);
        Assert.Equal("privilege_escalation", result.Error.Code);
    }

    [Fact]
    public async Task An_IPv4_mapped_block_is_kept_as_the_IPv4_block_it_matches()
    {
        var owner = await OwnerAsync();

        var key = await CreateKeyAsync(owner, Actor with { Ips = ["::ffff:203.0.113.0/120", "::ffff:198.51.100.7"] });

        Assert.Equal(["203.0.113.0/24", "198.51.100.7/32"], key.Key.AllowedIps);
    }

    private static async Task AssertVerdictAsync(HttpResponseMessage response, string dimension, Level level, HttpStatusCode success = HttpStatusCode.OK)
    {
        if (level is Level.Narrower or Level.Equal)
        {
            await response.ShouldBeJsonAsync(success);
            return;
        }
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "privilege_escalation");
        Assert.Equal(dimension, problem.GetProperty("dimension").GetString());
    }

    private Task<ApiKey> LoadAsync(Caller owner, string id) =>
        app.WithServiceAsync<ApiKeyService, ApiKey>(async s => (await s.GetAsync(owner, id)).Value!);

    /// <summary>A refused write left the key as it was: same secret, status and settings, never touched since.</summary>
    private async Task AssertUnchangedAsync(Caller owner, ApiKey before)
    {
        var after = await LoadAsync(owner, before.Id);
        Assert.Equal(before.Hint, after.Hint);
        Assert.Equal(before.Name, after.Name);
        Assert.Equal(before.Scopes, after.Scopes);
        Assert.Equal(before.ExpiresAt, after.ExpiresAt);
        Assert.Equal(before.AllowedIps, after.AllowedIps);
        Assert.Equal(before.AllowedReferrers, after.AllowedReferrers);
        Assert.Equal(before.RateLimitPerMinute, after.RateLimitPerMinute);
        Assert.Equal(before.Status, after.Status);
        Assert.Equal(before.UpdatedAt, after.UpdatedAt);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, Operation operation, string? id, KeySettings settings) => operation switch
    {
        Operation.Create => client.PostAsJsonAsync("/api/v1/api-keys", Body(settings)),
        Operation.Update => client.PatchAsJsonAsync($"/api/v1/api-keys/{id}", new { name = "Renamed by a key" }),
        Operation.Rotate => client.PostAsync($"/api/v1/api-keys/{id}/rotate", null),
        Operation.Deactivate => client.PostAsync($"/api/v1/api-keys/{id}/deactivate", null),
        Operation.Activate => client.PostAsync($"/api/v1/api-keys/{id}/activate", null),
        Operation.Revoke => client.DeleteAsync($"/api/v1/api-keys/{id}"),
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    private static object Body(KeySettings settings) => new
    {
        name = "Made by a key",
        environment = settings.Environment,
        scopes = settings.Scopes,
        expires_at = settings.ExpiresAt,
        allowed_ips = settings.Ips,
        allowed_referrers = settings.Referrers,
        rate_limit_per_minute = settings.RateLimit,
    };

    /// <summary>A PATCH body that sets only <paramref name="dimension"/>, to its value in <paramref name="settings"/>.</summary>
    private static Dictionary<string, object?> Patch(string dimension, KeySettings settings) => new()
    {
        [dimension] = dimension switch
        {
            PowerDimensions.Scopes => settings.Scopes,
            PowerDimensions.ExpiresAt => settings.ExpiresAt,
            PowerDimensions.AllowedIps => settings.Ips,
            PowerDimensions.AllowedReferrers => settings.Referrers,
            PowerDimensions.RateLimitPerMinute => settings.RateLimit,
            _ => throw new ArgumentOutOfRangeException(nameof(dimension)),
        },
    };

    /// <summary>The caller the key rail would build for a request made with <paramref name="key"/> right now.</summary>
    private async Task<Caller> AuthenticatedAsAsync(CreatedApiKey key)
    {
        var credential = await app.WithServiceAsync<DatabaseApiKeyCredentialStore, ApiKeyCredential?>(
            async store => await store.FindBySecretHashAsync(ApiKeyFormat.Hash(key.Secret), CancellationToken.None));
        return Caller.ForKey(credential ?? throw new InvalidOperationException("The key was not found."));
    }

    private async Task<int> CountKeysAsync()
    {
        await using var db = app.OpenDatabase();
        return await db.ApiKeys.CountAsync();
    }

    private HttpClient ActorClient(string secret)
    {
        var client = app.CreateClientWithKey(secret, ClientAddress);
        client.DefaultRequestHeaders.Referrer = new Uri(ClientReferrer);
        return client;
    }

    private Caller? owner;

    private async Task<Caller> OwnerAsync() => owner ??= await app.CreateMemberAsync();

    private Task<CreatedApiKey> CreateKeyAsync(Caller creator, KeySettings settings) =>
        app.CreateKeyAsync(creator, new CreateApiKeyCommand(
            "Key", settings.Environment, settings.Scopes, settings.ExpiresAt, settings.RateLimit, settings.Ips, settings.Referrers));

    private void TrackSecret(string body)
    {
        var start = body.IndexOf("\"key\":\"bsk_", StringComparison.Ordinal);
        if (start >= 0)
            app.IssuedSecrets.Add(body.Substring(start + "\"key\":\"".Length, ApiKeyFormat.Length));
    }

    public sealed record KeySettings(
        IReadOnlyList<string>? Scopes, string Environment, DateTimeOffset? ExpiresAt, IReadOnlyList<string> Ips,
        IReadOnlyList<string> Referrers, int? RateLimit);
}

using Backside.Core.ApiKeys;
using Backside.Core.Audit;
using Backside.Core.Payments;
using Backside.Core.Usage;
using Backside.Tests.Infrastructure;
using Backside.Web.Audit;
using Backside.Web.Authentication.Jwt;
using Backside.Web.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.ScaleOut;

/// <summary>
/// Two app hosts on one fresh PostgreSQL database, as two instances of a deployment: starting together, writing the
/// same audit chain, counting the same key, reserving the same payment. Always on PostgreSQL (BACKSIDE_TEST_POSTGRES).
/// </summary>
[Trait("Providers", "Both")]
public sealed class PostgresInstancesTests : IAsyncLifetime
{
    private readonly TestDatabase database = TestDatabase.CreatePostgres();
    private BacksideAppFactory a = null!;
    private BacksideAppFactory b = null!;

    public Task InitializeAsync()
    {
        a = BacksideAppFactory.OnDatabase(database);
        b = BacksideAppFactory.OnDatabase(database);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await a.DisposeAsync();
        await b.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task Two_instances_starting_at_once_on_an_empty_database_both_come_up_with_the_same_generated_keys()
    {
        using var start = new Barrier(2);
        await Task.WhenAll(
            Task.Run(() => { start.SignalAndWait(); _ = a.Services; }),
            Task.Run(() => { start.SignalAndWait(); _ = b.Services; }));

        Assert.Equal(Key<JwtSigningKeyProvider>(a, p => p.Key.Key), Key<JwtSigningKeyProvider>(b, p => p.Key.Key));
        Assert.Equal(Key<AuditHmacKeyProvider>(a, p => p.Key.ToArray()), Key<AuditHmacKeyProvider>(b, p => p.Key.ToArray()));
        await using var db = database.Open();
        Assert.Equal(2, await db.ServerSecrets.CountAsync());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task Instances_racing_to_create_a_server_secret_all_get_the_one_stored_first()
    {
        var name = $"race-{Guid.NewGuid():N}";
        var secrets = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            ((i % 2 == 0) ? a : b).Services.GetRequiredService<ServerSecretStore>().GetOrCreateAsync(name, "Backside.Tests.Race", 32))));

        Assert.All(secrets, s => Assert.Equal(secrets[0], s));
        await using var db = database.Open();
        Assert.Equal(1, await db.ServerSecrets.CountAsync(s => s.Name == name));
    }

    [Fact]
    public async Task Concurrent_audited_writes_from_two_instances_all_succeed_and_the_chain_verifies()
    {
        const int writes = 40;
        var owner = await a.CreateMemberAsync();
        // Both instances are running before the writes race, as in a deployment: a host started from inside the race
        // blocks its thread-pool threads on the start, and 20 of them starve the writers' continuations.
        _ = b.Services;
        var results = await Task.WhenAll(Enumerable.Range(0, writes).Select(i => Task.Run(() =>
            ((i % 2 == 0) ? a : b).WithServiceAsync<ApiKeyService, bool>(async keys =>
                (await keys.CreateAsync(owner, new CreateApiKeyCommand($"Key {i}", "live", [Scopes.ContactsRead], null))).Succeeded))));

        Assert.All(results, Assert.True);
        var verification = await b.WithServiceAsync<AuditTrail, AuditVerification>(trail => trail.VerifyAsync(owner.OrganizationId));
        Assert.True(verification.IsIntact, verification.Problem);
        await using var db = database.Open();
        Assert.Equal(writes, await db.ApiKeys.CountAsync(k => k.OrganizationId == owner.OrganizationId));
        Assert.Equal(writes, verification.EventsChecked);
    }

    [Fact]
    public async Task An_audited_write_waits_for_the_head_lock_another_instance_holds_and_then_goes_on_from_its_head()
    {
        var owner = await a.CreateMemberAsync();
        await using var holder = a.Services.CreateAsyncScope();
        var trail = holder.ServiceProvider.GetRequiredService<AuditTrail>();
        var locked = await trail.BeginChainWriteAsync(owner.OrganizationId, CancellationToken.None);
        Assert.NotNull(locked);

        var waiting = b.WithServiceAsync<ApiKeyService, bool>(async keys =>
            (await keys.CreateAsync(owner, new CreateApiKeyCommand("Waits", "live", [Scopes.ContactsRead], null))).Succeeded);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(waiting.IsCompleted);
        await trail.AppendAsync(owner, AuditActions.ApiKeyUpdated, null, livemode: true, new ChangeSet().Note("first", 1), CancellationToken.None);
        await trail.SaveAsync(CancellationToken.None);
        await locked.DisposeAsync();

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(30)));
        var verification = await b.WithServiceAsync<AuditTrail, AuditVerification>(t => t.VerifyAsync(owner.OrganizationId));
        Assert.True(verification.IsIntact, verification.Problem);
        Assert.Equal(2, verification.EventsChecked); // the holder's event, then the waiting writer's
    }

    [Fact]
    public async Task Two_instances_flushing_the_same_key_and_hour_at_once_both_count_and_last_used_never_moves_back()
    {
        var owner = await a.CreateMemberAsync();
        var key = await a.CreateKeyAsync(owner, [Scopes.ContactsRead]);
        b.Time.SetUtcNow(a.Time.GetUtcNow().AddMinutes(1)); // same hour, b a minute later
        var trackers = new[] { a, b }.Select(app => app.Services.GetRequiredService<ApiKeyUsageTracker>()).ToArray();
        for (var i = 0; i < 30; i++)
            trackers[0].CountRequest(key.Key.Id, owner.OrganizationId, 200, Scopes.ContactsRead);
        for (var i = 0; i < 20; i++)
            trackers[1].CountRequest(key.Key.Id, owner.OrganizationId, 404, Scopes.ContactsRead);
        trackers[1].CountRequest(key.Key.Id, owner.OrganizationId, 200, Scopes.ContactsRead);
        trackers[0].Record(key.Key.Id, a.Time.GetUtcNow(), null);
        trackers[1].Record(key.Key.Id, b.Time.GetUtcNow(), null);

        using var start = new Barrier(2);
        var flushed = await Task.WhenAll(new[] { a, b }.Select(app => Task.Run(() =>
        {
            start.SignalAndWait();
            return app.Services.GetRequiredService<ApiKeyUsageFlusher>().FlushAsync(CancellationToken.None);
        })));
        Assert.All(flushed, rows => Assert.Equal(3, rows));
        // A later flush of an earlier use (a's, again) must not move last_used_at back.
        trackers[0].Record(key.Key.Id, a.Time.GetUtcNow(), null);
        await a.Services.GetRequiredService<ApiKeyUsageFlusher>().FlushAsync(CancellationToken.None);

        await using var db = database.Open();
        var bucket = await db.UsageBuckets.SingleAsync(u => u.ApiKeyId == key.Key.Id);
        Assert.Equal((51L, 31L, 20L), (bucket.Requests, bucket.Success, bucket.ClientErrors));
        Assert.Equal(b.Time.GetUtcNow(), (await db.ApiKeys.SingleAsync(k => k.Id == key.Key.Id)).LastUsedAt);
        Assert.Equal(b.Time.GetUtcNow(), (await db.ScopeUses.SingleAsync(s => s.ApiKeyId == key.Key.Id)).LastSeenAt);
    }

    [Fact]
    public async Task The_same_payment_reserved_on_two_instances_at_once_is_reserved_once()
    {
        var replayKey = $"x402:test:{Guid.NewGuid():N}";
        var keepUntil = a.Time.GetUtcNow().AddHours(1);
        var reserved = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() =>
            ((i % 2 == 0) ? a : b).Services.GetRequiredService<IPaymentReplayStore>().TryReserveAsync(replayKey, keepUntil, CancellationToken.None))));

        Assert.Single(reserved, r => r);
    }

    private static byte[] Key<T>(BacksideAppFactory app, Func<T, byte[]> read)
        where T : notnull => read(app.Services.GetRequiredService<T>());
}

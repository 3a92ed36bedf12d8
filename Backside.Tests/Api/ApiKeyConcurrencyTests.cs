using System.Net;
using Backside.Core.ApiKeys;
using Backside.Core.Common;
using Backside.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Backside.Tests.Api;

/// <summary>
/// A revoke racing a rotate, or a key lookup: whichever commits first, no secret of the key works once the revoke has
/// returned.
/// SQLite only: they hold one writer between its read and its save while the other commits, which is SQLite's
/// optimistic race. On PostgreSQL the held writer owns the chain's head lock and the other waits for it instead
/// (ScaleOut/PostgresInstancesTests shows that wait).
/// </summary>
public class ApiKeyConcurrencyTests(GatedAppFactory app) : IClassFixture<GatedAppFactory>
{
    [Fact]
    public async Task A_rotate_held_while_a_revoke_commits_retries_and_is_refused()
    {
        var owner = await app.CreateMemberAsync();
        var key = await app.CreateKeyAsync(owner);
        app.Gate.HoldNext(db => Changes(db, key.Key.Id, k => k.SecretHash));

        var rotation = app.WithServiceAsync<ApiKeyService, OperationResult<CreatedApiKey>>(s => s.RotateAsync(owner, key.Key.Id, 300));
        await app.Gate.Reached;
        await app.RevokeAsync(owner, key.Key.Id);
        app.Gate.Release();
        var rotated = await rotation;

        Assert.False(rotated.Succeeded);
        Assert.Equal("api_key_revoked", rotated.Error.Code);
        await (await app.CreateClientWithKey(key.Secret).GetAsync("/api/v1/contacts")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "api_key_revoked");
        await using var db = app.OpenDatabase();
        var stored = await db.ApiKeys.SingleAsync(k => k.Id == key.Key.Id);
        Assert.Equal(ApiKeyStatus.Revoked, stored.Status);
        Assert.Equal(key.Key.Hint, stored.Hint); // the held rotation wrote nothing
    }

    [Fact]
    public async Task A_revoke_held_while_a_rotate_commits_retries_and_kills_every_secret()
    {
        var owner = await app.CreateMemberAsync();
        var key = await app.CreateKeyAsync(owner);
        (await app.CreateClientWithKey(key.Secret).GetAsync("/api/v1/contacts")).EnsureSuccessStatusCode();
        app.Gate.HoldNext(db => Changes(db, key.Key.Id, k => k.Status));

        var revocation = app.WithServiceAsync<ApiKeyService, OperationResult<ApiKey>>(s => s.RevokeAsync(owner, key.Key.Id));
        await app.Gate.Reached;
        var rotated = await app.WithServiceAsync<ApiKeyService, OperationResult<CreatedApiKey>>(s => s.RotateAsync(owner, key.Key.Id, 300));
        Assert.True(rotated.Succeeded, rotated.Error?.Message);
        app.IssuedSecrets.Add(rotated.Value.Secret);
        // Both secrets work (the old one in its grace window) and are cached as working.
        (await app.CreateClientWithKey(rotated.Value.Secret).GetAsync("/api/v1/contacts")).EnsureSuccessStatusCode();
        (await app.CreateClientWithKey(key.Secret).GetAsync("/api/v1/contacts")).EnsureSuccessStatusCode();
        app.Gate.Release();
        var revoked = await revocation;

        Assert.True(revoked.Succeeded, revoked.Error?.Message);
        await (await app.CreateClientWithKey(rotated.Value.Secret).GetAsync("/api/v1/contacts")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "api_key_revoked");
        // A revoke ends the grace window too: the old secret belongs to no key any more.
        await (await app.CreateClientWithKey(key.Secret).GetAsync("/api/v1/contacts")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
        await using var db = app.OpenDatabase();
        var stored = await db.ApiKeys.SingleAsync(k => k.Id == key.Key.Id);
        Assert.Equal(rotated.Value.Key.Hint, stored.Hint);
        Assert.Null(stored.PreviousSecretHash);
    }

    [Fact]
    public async Task Two_writes_from_the_same_loaded_key_cannot_both_commit()
    {
        var owner = await app.CreateMemberAsync();
        var key = await app.CreateKeyAsync(owner);
        await using var first = app.OpenDatabase();
        await using var second = app.OpenDatabase();
        var a = await first.ApiKeys.SingleAsync(k => k.Id == key.Key.Id);
        var b = await second.ApiKeys.SingleAsync(k => k.Id == key.Key.Id);

        a.Name = "First";
        a.Touch(app.Time.GetUtcNow());
        await first.SaveChangesAsync();
        b.Name = "Second";
        b.Touch(app.Time.GetUtcNow());

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
    }

    [Fact]
    public async Task A_lookup_that_read_the_key_before_its_revoke_cannot_keep_it_alive_in_the_cache()
    {
        var owner = await app.CreateMemberAsync();
        var key = await app.CreateKeyAsync(owner);
        app.Reads.HoldNext(command => command.CommandText.Contains("\"PreviousSecretHash\" = @", StringComparison.Ordinal));

        // The first request reads the key while it is active, and is held before its answer reaches the cache.
        var inFlight = app.CreateClientWithKey(key.Secret).GetAsync("/api/v1/contacts");
        await app.Reads.Reached;
        await app.RevokeAsync(owner, key.Key.Id);
        app.Reads.Release();
        (await inFlight).Dispose(); // it began before the revoke returned; what it was answered does not matter here

        var next = await app.CreateClientWithKey(key.Secret).GetAsync("/api/v1/contacts");

        await next.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "api_key_revoked");
    }

    private static bool Changes(DbContext db, string keyId, System.Linq.Expressions.Expression<Func<ApiKey, object?>> property) =>
        db.ChangeTracker.Entries<ApiKey>().Any(e => e.State == EntityState.Modified && e.Entity.Id == keyId && e.Property(property).IsModified);
}

using System.Security.Cryptography;
using Backside.Core.ApiKeys;
using Backside.Core.Audit;
using Backside.Core.Common;
using Backside.Core.Data;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Tests.Infrastructure;
using Backside.Web.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Backside.Tests.Api;

/// <summary>The chain's head on the organization and the HMAC-keyed event hashes, through the real app and database.</summary>
[Trait("Providers", "Both")]
public class AuditChainTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    [Fact]
    public async Task A_normal_chain_verifies_intact_with_keyed_hashes_and_a_head_on_the_newest_event()
    {
        var owner = await OrganizationWithEventsAsync(3);

        var verification = await VerifyAsync(owner);

        Assert.True(verification.IsIntact, verification.Problem);
        Assert.Equal(3, verification.EventsChecked);
        Assert.Equal(0, verification.UnkeyedEvents);
        await using var db = app.OpenDatabase();
        var events = await db.AuditEvents.Where(e => e.OrganizationId == owner.OrganizationId).OrderBy(e => e.Sequence).ToListAsync();
        Assert.All(events, e => Assert.Equal(AuditHashAlgorithm.HmacSha256, e.HashAlgorithm));
        Assert.All(events, e => Assert.NotEqual(AuditTrail.ComputeHash(e.WithAlgorithm(AuditHashAlgorithm.Sha256), []), e.Hash));
        var head = await db.AuditChainHeads.SingleAsync(h => h.OrganizationId == owner.OrganizationId);
        Assert.Equal(3, head.Sequence);
        Assert.Equal(events[^1].Hash, head.Hash);
    }

    [Fact]
    public async Task Deleting_the_newest_events_is_reported_because_the_head_names_an_event_that_is_gone()
    {
        var owner = await OrganizationWithEventsAsync(4);

        await using (var db = app.OpenDatabase())
            await db.AuditEvents.Where(e => e.OrganizationId == owner.OrganizationId && e.Sequence >= 3).ExecuteDeleteAsync();
        var verification = await VerifyAsync(owner);

        Assert.False(verification.IsIntact);
        Assert.Equal(3, verification.BrokenAtSequence);
        Assert.Equal(2, verification.EventsChecked);
        Assert.Contains("newest events were deleted", verification.Problem);
    }

    [Fact]
    public async Task Moving_the_head_back_by_hand_after_deleting_the_newest_event_is_reported()
    {
        var owner = await OrganizationWithEventsAsync(4);

        await using (var db = app.OpenDatabase())
        {
            var third = await db.AuditEvents.SingleAsync(e => e.OrganizationId == owner.OrganizationId && e.Sequence == 3);
            await db.AuditEvents.Where(e => e.OrganizationId == owner.OrganizationId && e.Sequence == 4).ExecuteDeleteAsync();
            await db.AuditChainHeads.Where(h => h.OrganizationId == owner.OrganizationId)
                .ExecuteUpdateAsync(h => h.SetProperty(x => x.Sequence, 3).SetProperty(x => x.Hash, third.Hash));
        }
        var verification = await VerifyAsync(owner);

        Assert.False(verification.IsIntact);
        Assert.Contains("seal", verification.Problem);
    }

    [Fact]
    public async Task A_deleted_head_is_reported_and_the_chain_is_not_extended_from_what_is_left()
    {
        var owner = await OrganizationWithEventsAsync(2);

        await using (var db = app.OpenDatabase())
            await db.AuditChainHeads.Where(h => h.OrganizationId == owner.OrganizationId).ExecuteDeleteAsync();
        var verification = await VerifyAsync(owner);

        Assert.Equal(3, verification.BrokenAtSequence);
        Assert.Contains("head is missing", verification.Problem);
        await Assert.ThrowsAsync<InvalidOperationException>(() => CreateKeyAsync(owner));
    }

    [Fact]
    public async Task Emptying_a_chain_and_its_head_is_reported_even_for_an_organization_with_no_events_yet()
    {
        var fresh = await app.CreateMemberAsync();
        var busy = await OrganizationWithEventsAsync(2);
        Assert.True((await VerifyAsync(fresh)).IsIntact); // a new organization's chain starts with a sealed, empty head

        await using (var db = app.OpenDatabase())
        {
            foreach (var organizationId in new[] { fresh.OrganizationId, busy.OrganizationId })
            {
                await db.AuditEvents.Where(e => e.OrganizationId == organizationId).ExecuteDeleteAsync();
                await db.AuditChainHeads.Where(h => h.OrganizationId == organizationId).ExecuteDeleteAsync();
            }
        }

        Assert.Contains("head is missing", (await VerifyAsync(fresh)).Problem);
        Assert.Contains("head is missing", (await VerifyAsync(busy)).Problem);
    }

    [Fact]
    public async Task A_chain_rewritten_as_old_plain_hashes_with_its_head_deleted_is_reported()
    {
        var owner = await OrganizationWithEventsAsync(3);
        await using (var tampered = app.OpenDatabase())
        {
            // Without the audit key: every event relabelled as pre-upgrade SHA-256, the chain recomputed, the head gone.
            var previous = AuditTrail.GenesisHash;
            var events = await tampered.AuditEvents.AsNoTracking().Where(e => e.OrganizationId == owner.OrganizationId).OrderBy(e => e.Sequence).ToListAsync();
            foreach (var original in events)
            {
                var forged = original.Rewritten(original.Changes, previous, AuditHashAlgorithm.Sha256);
                forged.Hash = AuditTrail.ComputeHash(forged, []);
                await tampered.AuditEvents.Where(e => e.Id == forged.Id).ExecuteUpdateAsync(set => set
                    .SetProperty(e => e.PreviousHash, forged.PreviousHash)
                    .SetProperty(e => e.Hash, forged.Hash)
                    .SetProperty(e => e.HashAlgorithm, forged.HashAlgorithm));
                previous = forged.Hash;
            }
            await tampered.AuditChainHeads.Where(h => h.OrganizationId == owner.OrganizationId).ExecuteDeleteAsync();
        }

        var verification = await VerifyAsync(owner);

        Assert.False(verification.IsIntact);
        Assert.Contains("head is missing", verification.Problem);
    }

    public static TheoryData<string> Forgeries => ["sha256", "hmac under another key", "downgraded to sha256"];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_rewritten_row_with_every_later_hash_and_the_head_recomputed_is_reported(string forgery)
    {
        var owner = await OrganizationWithEventsAsync(4);
        var otherKey = RandomNumberGenerator.GetBytes(32);

        await using (var db = app.OpenDatabase())
        {
            var events = await db.AuditEvents.AsNoTracking().Where(e => e.OrganizationId == owner.OrganizationId).OrderBy(e => e.Sequence).ToListAsync();
            var previous = events[0].Hash;
            foreach (var original in events.Skip(1))
            {
                var forged = original.Rewritten(
                    changes: original.Sequence == 2 ? """{"name":{"before":null,"after":"Nothing to see"}}""" : original.Changes,
                    previousHash: previous,
                    algorithm: forgery == "downgraded to sha256" ? AuditHashAlgorithm.Sha256 : original.HashAlgorithm);
                forged.Hash = forgery == "hmac under another key"
                    ? AuditTrail.ComputeHash(forged, otherKey)
                    : AuditTrail.ComputeHash(forged.WithAlgorithm(AuditHashAlgorithm.Sha256), []);
                await db.AuditEvents.Where(e => e.Id == forged.Id).ExecuteUpdateAsync(set => set
                    .SetProperty(e => e.Changes, forged.Changes)
                    .SetProperty(e => e.PreviousHash, forged.PreviousHash)
                    .SetProperty(e => e.Hash, forged.Hash)
                    .SetProperty(e => e.HashAlgorithm, forged.HashAlgorithm));
                previous = forged.Hash;
            }
            await db.AuditChainHeads.Where(h => h.OrganizationId == owner.OrganizationId).ExecuteUpdateAsync(h => h.SetProperty(x => x.Hash, previous));
        }
        var verification = await VerifyAsync(owner);

        Assert.False(verification.IsIntact);
        Assert.Equal(2, verification.BrokenAtSequence);
        Assert.Equal(1, verification.EventsChecked);
        Assert.Contains(forgery == "downgraded to sha256" ? "plain SHA-256 hash after keyed events" : "does not match its hash", verification.Problem);
    }

    [Fact]
    public async Task A_chain_written_before_keyed_hashes_still_verifies_after_the_migration_and_goes_on_keyed()
    {
        var path = Path.Combine(Path.GetTempPath(), "backside-tests", $"{Guid.NewGuid():N}.db");
        var organizationId = EntityId.New(EntityId.OrganizationPrefix);
        await using (var old = new BacksideDbContext(new DbContextOptionsBuilder<BacksideDbContext>().UseSqlite($"Data Source={path}").Options))
        {
            await old.GetService<IMigrator>().MigrateAsync(SchemaBeforeKeyedHashes);
            var createdAt = (long)new DateTimeOffsetToBinaryConverter().ConvertToProvider(app.Time.GetUtcNow())!;
            await old.Database.ExecuteSqlAsync($"INSERT INTO Organizations (Id, Name, Kind, CreatedAt) VALUES ({organizationId}, 'Old', 'Personal', {createdAt})");
            var previous = AuditTrail.GenesisHash;
            for (var sequence = 1; sequence <= 3; sequence++)
                previous = await InsertOldEventAsync(old, organizationId, sequence, previous);
        }

        await using var upgraded = BacksideAppFactory.OnDatabase(path);
        var before = await VerifyAsync(upgraded, organizationId);
        var member = await upgraded.CreateMemberAsync();
        await using (var membership = upgraded.OpenDatabase())
        {
            membership.OrganizationMembers.Add(new OrganizationMember { OrganizationId = organizationId, UserId = member.ActorId, Role = OrganizationRole.Owner });
            await membership.SaveChangesAsync();
        }
        await using (var scope = upgraded.Services.CreateAsyncScope())
        {
            var owner = member with { OrganizationId = organizationId };
            var created = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync(owner, new CreateApiKeyCommand("New", "live", [Scopes.ContactsRead], null));
            Assert.True(created.Succeeded);
        }
        var after = await VerifyAsync(upgraded, organizationId);

        Assert.True(before.IsIntact, before.Problem);
        Assert.Equal((3, 3), (before.EventsChecked, before.UnkeyedEvents));
        Assert.True(after.IsIntact, after.Problem);
        Assert.Equal((4, 3), (after.EventsChecked, after.UnkeyedEvents));
        await using var db = upgraded.OpenDatabase();
        Assert.Equal(4, (await db.AuditChainHeads.SingleAsync(h => h.OrganizationId == organizationId)).Sequence);
        Assert.Equal(AuditHashAlgorithm.HmacSha256, (await db.AuditEvents.SingleAsync(e => e.OrganizationId == organizationId && e.Sequence == 4)).HashAlgorithm);
    }

    /// <summary>The last migration before keyed hashes and chain heads.</summary>
    private const string SchemaBeforeKeyedHashes = "20261123115915_X402Payments";

    /// <summary>An event as versions before keyed hashes wrote it, hashed the way they did (plain SHA-256, format 1).</summary>
    private async Task<byte[]> InsertOldEventAsync(BacksideDbContext db, string organizationId, long sequence, byte[] previous)
    {
        var id = EntityId.New(EntityId.AuditEventPrefix, app.Time);
        app.Time.Advance(TimeSpan.FromMilliseconds(1));
        var occurredAt = app.Time.GetUtcNow();
        const string changes = """{"name":{"before":null,"after":"Old key"}}""";
        var canonical = System.Text.Json.JsonSerializer.Serialize(new object?[]
        {
            1, id, organizationId, sequence, AuditActions.ApiKeyCreated, "user", "usr_old", null, true, "203.0.113.9", null,
            occurredAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture), changes,
        });
        var hash = SHA256.HashData([.. previous, .. System.Text.Encoding.UTF8.GetBytes(canonical)]);
        var storedAt = (long)new DateTimeOffsetToBinaryConverter().ConvertToProvider(occurredAt)!;
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO AuditEvents (Id, OrganizationId, Sequence, Action, ActorType, ActorId, ApiKeyId, Livemode, IpAddress, UserAgent, OccurredAt, Changes, PreviousHash, Hash)
            VALUES ({id}, {organizationId}, {sequence}, {AuditActions.ApiKeyCreated}, 'user', 'usr_old', NULL, 1, '203.0.113.9', NULL, {storedAt}, {changes}, {previous}, {hash})
            """);
        return hash;
    }

    [Fact]
    public async Task A_save_that_fails_leaves_the_head_and_the_events_as_they_were()
    {
        var owner = await OrganizationWithEventsAsync(2);
        var refusal = new CommitRefusal();
        await using var refusing = app.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IInterceptor>(refusal)));
        var headBefore = await HeadAsync(owner);

        refusal.ArmOnce();
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var scope = refusing.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync(owner, new CreateApiKeyCommand("Refused", "live", [Scopes.ContactsRead], null));
        });

        Assert.Equal(1, refusal.Refused);
        var headAfter = await HeadAsync(owner);
        Assert.Equal(headBefore.Sequence, headAfter.Sequence);
        Assert.Equal(headBefore.Hash, headAfter.Hash);
        await using (var db = app.OpenDatabase())
            Assert.Equal(2, await db.AuditEvents.CountAsync(e => e.OrganizationId == owner.OrganizationId));
        await CreateKeyAsync(owner);
        var verification = await VerifyAsync(owner);
        Assert.True(verification.IsIntact, verification.Problem);
        Assert.Equal(3, (await HeadAsync(owner)).Sequence);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task Two_writers_from_the_same_head_one_commits_and_the_other_gets_a_chain_conflict(int eventsBefore)
    {
        var owner = await OrganizationWithEventsAsync(eventsBefore);
        await using var first = app.Services.CreateAsyncScope();
        await using var second = app.Services.CreateAsyncScope();
        foreach (var scope in new[] { first, second })
        {
            // On PostgreSQL an append runs in a transaction; a plain one here, without the head lock, lets them race.
            var db = scope.ServiceProvider.GetRequiredService<BacksideDbContext>();
            if (db.Database.IsNpgsql())
                await db.Database.BeginTransactionAsync();
            await scope.ServiceProvider.GetRequiredService<AuditTrail>()
                .AppendAsync(owner, AuditActions.ApiKeyUpdated, null, livemode: true, new ChangeSet().Note("n", 1), CancellationToken.None);
        }

        await first.ServiceProvider.GetRequiredService<AuditTrail>().SaveAsync(CancellationToken.None);
        var winner = first.ServiceProvider.GetRequiredService<BacksideDbContext>().Database;
        if (winner.CurrentTransaction is not null)
            await winner.CommitTransactionAsync();
        var lost = await Assert.ThrowsAnyAsync<DbUpdateException>(() => second.ServiceProvider.GetRequiredService<BacksideDbContext>().SaveChangesAsync());

        Assert.True(second.ServiceProvider.GetRequiredService<AuditTrail>().IsChainConflict(lost), lost.ToString());
        var verification = await VerifyAsync(owner);
        Assert.True(verification.IsIntact, verification.Problem);
        Assert.Equal(eventsBefore + 1, verification.EventsChecked);
    }

    [Fact]
    public async Task The_generated_audit_key_is_stored_encrypted_and_the_chain_still_verifies_after_a_restart()
    {
        var path = Path.Combine(Path.GetTempPath(), "backside-tests", $"{Guid.NewGuid():N}.db");
        Caller owner;
        string key;
        await using (var first = BacksideAppFactory.OnDatabase(path))
        {
            owner = await first.CreateMemberAsync();
            await first.CreateKeyAsync(owner, [Scopes.ContactsRead]);
            key = Convert.ToBase64String(first.Services.GetRequiredService<IAuditHmacKey>().Key);
            await first.StopGracefullyAsync();
        }

        await using var restarted = BacksideAppFactory.OnDatabase(path);
        await restarted.CreateKeyAsync(owner, [Scopes.ContactsRead]);
        await using var scope = restarted.Services.CreateAsyncScope();
        var verification = await scope.ServiceProvider.GetRequiredService<AuditTrail>().VerifyAsync(owner.OrganizationId);

        Assert.True(verification.IsIntact, verification.Problem);
        Assert.Equal(2, verification.EventsChecked);
        Assert.Equal(key, Convert.ToBase64String(restarted.Services.GetRequiredService<IAuditHmacKey>().Key));
        await using var db = restarted.OpenDatabase();
        var stored = await db.ServerSecrets.SingleAsync(s => s.Name == "audit-hmac-key");
        Assert.DoesNotContain(key, stored.ProtectedValue);
        Assert.NotEqual(key, stored.ProtectedValue);
    }

    [Fact]
    public async Task A_configured_audit_key_keys_the_hashes()
    {
        var configured = RandomNumberGenerator.GetBytes(32);
        await using var keyed = app.WithWebHostBuilder(b => b.UseSetting("Audit:HmacKey", Convert.ToBase64String(configured)));
        var owner = await app.CreateMemberAsync();

        await using (var scope = keyed.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync(owner, new CreateApiKeyCommand("Keyed", "live", [Scopes.ContactsRead], null));

        await using var db = app.OpenDatabase();
        var written = await db.AuditEvents.SingleAsync(e => e.OrganizationId == owner.OrganizationId);
        Assert.Equal(AuditTrail.ComputeHash(written, configured), written.Hash);
    }

    [Theory]
    [InlineData("c2hvcnQ=")] // "short": 5 bytes
    [InlineData("not base64 at all!")]
    public async Task An_audit_key_that_is_not_base64_of_32_bytes_stops_the_start(string configured)
    {
        await using var misconfigured = app.WithWebHostBuilder(b => b.UseSetting("Audit:HmacKey", configured));

        var error = Record.Exception(() => misconfigured.Services);

        Assert.Contains("Audit:HmacKey", Assert.IsType<OptionsValidationException>(error).Message);
    }

    [Fact]
    public async Task Instances_racing_to_create_a_server_secret_all_end_up_with_the_same_one()
    {
        var store = app.Services.GetRequiredService<ServerSecretStore>();
        var name = $"race-{Guid.NewGuid():N}"[..32];

        var secrets = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.GetOrCreateAsync(name, "Backside.Tests.Race", 32))));

        Assert.All(secrets, s => Assert.Equal(secrets[0], s));
        await using var db = app.OpenDatabase();
        Assert.Equal(1, await db.ServerSecrets.CountAsync(s => s.Name == name));
    }

    private async Task<Caller> OrganizationWithEventsAsync(int events)
    {
        var owner = await app.CreateMemberAsync();
        for (var i = 0; i < events; i++)
            await CreateKeyAsync(owner, $"Key {i}");
        return owner;
    }

    private Task<CreatedApiKey> CreateKeyAsync(Caller owner, string name = "Another key") => app.CreateKeyAsync(owner, [Scopes.ContactsRead], name: name);

    private async Task<AuditChainHead> HeadAsync(Caller owner)
    {
        await using var db = app.OpenDatabase();
        return await db.AuditChainHeads.AsNoTracking().SingleAsync(h => h.OrganizationId == owner.OrganizationId);
    }

    private Task<AuditVerification> VerifyAsync(Caller owner) => VerifyAsync(app, owner.OrganizationId);

    private static async Task<AuditVerification> VerifyAsync(BacksideAppFactory host, string organizationId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AuditTrail>().VerifyAsync(organizationId);
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Backside.Core.Common;
using Backside.Core.Data;
using Backside.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Backside.Core.Audit;

/// <summary>
/// Appends events to an organization's hash chain and verifies it. Each event's hash is an HMAC under the server's
/// audit key, and the chain's head (newest sequence and hash, sealed with the key) is written with every event.
/// </summary>
public sealed class AuditTrail(BacksideDbContext db, IAuditHmacKey key, TimeProvider time)
{
    public static readonly byte[] GenesisHash = new byte[32];

    private IDbContextTransaction? chainWrite;

    /// <summary>
    /// Starts an audited write to <paramref name="organizationId"/>'s chain. On PostgreSQL this opens the transaction
    /// the write runs in and locks the chain's head row in it (<c>SELECT … FOR UPDATE</c>), so writers on every
    /// instance take turns: the next one waits, then reads the head the last one committed. SQLite has one writer at
    /// a time anyway and returns null (the save's own transaction is enough; a lost race is retried by the caller).
    /// Dispose the result when done; <see cref="SaveAsync"/> commits it.
    /// </summary>
    public async Task<IDbContextTransaction?> BeginChainWriteAsync(string organizationId, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql())
            return null;
        var transaction = await db.Database.BeginTransactionAsync(ct);
        var head = db.Model.FindEntityType(typeof(AuditChainHead))!;
        var sql = db.GetService<ISqlGenerationHelper>();
        var table = sql.DelimitIdentifier(head.GetTableName()!, head.GetSchema());
        var column = sql.DelimitIdentifier(head.FindProperty(nameof(AuditChainHead.OrganizationId))!.GetColumnName());
#pragma warning disable EF1002 // Only identifiers from the model are interpolated; the organization id is a parameter.
        await db.Database.ExecuteSqlRawAsync($"SELECT 1 FROM {table} WHERE {column} = {{0}} FOR UPDATE", [organizationId], ct);
#pragma warning restore EF1002
        chainWrite = transaction;
        return transaction;
    }

    /// <summary>Writes the change and its audit event, and commits the transaction <see cref="BeginChainWriteAsync"/> opened.</summary>
    public async Task SaveAsync(CancellationToken ct)
    {
        await db.SaveChangesAsync(ct);
        if (chainWrite is { } transaction && transaction == db.Database.CurrentTransaction)
        {
            await transaction.CommitAsync(ct);
            chainWrite = null;
        }
    }

    /// <summary>
    /// Adds the next link of the caller's organization chain, and moves its head, in the DbContext; the caller's
    /// <see cref="SaveAsync"/> writes both in the same transaction as the change they describe. On PostgreSQL the head is
    /// locked (<see cref="BeginChainWriteAsync"/>); otherwise two writers racing from the same head make that save fail
    /// in a way <see cref="IsChainConflict"/> recognises, and the caller retries.
    /// </summary>
    public async Task AppendAsync(Caller caller, string action, string? apiKeyId, bool livemode, ChangeSet changes, CancellationToken ct)
    {
        if (db.Database.IsNpgsql() && db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("On PostgreSQL an audited write runs in the transaction BeginChainWriteAsync opens, which locks the chain's head.");
        var head = await db.AuditChainHeads.SingleOrDefaultAsync(h => h.OrganizationId == caller.OrganizationId, ct)
            ?? throw ChainWithoutHead(caller.OrganizationId);
        var (sequence, previousHash) = (head.Sequence, head.Hash);

        var entry = new AuditEvent
        {
            Id = EntityId.New(EntityId.AuditEventPrefix, time),
            OrganizationId = caller.OrganizationId,
            Sequence = sequence + 1,
            Action = action,
            ActorType = caller.Kind switch { CallerKind.ApiKey => AuditActorTypes.ApiKey, CallerKind.Wallet => AuditActorTypes.Wallet, _ => AuditActorTypes.User },
            ActorId = caller.ActorId,
            ApiKeyId = apiKeyId,
            Livemode = livemode,
            IpAddress = caller.Client?.IpAddress,
            UserAgent = Truncate(caller.Client?.UserAgent, 512),
            OccurredAt = WholeMilliseconds(time.GetUtcNow()),
            Changes = changes.ToJson(),
            PreviousHash = previousHash,
            HashAlgorithm = AuditHashAlgorithm.HmacSha256,
        };
        entry.Hash = ComputeHash(entry, key.Key);
        db.AuditEvents.Add(entry);

        head.Sequence = entry.Sequence;
        head.Hash = entry.Hash;
        head.Seal = ComputeSeal(head, key.Key);
    }

    /// <summary>
    /// Whether a failed save lost a race for the audit chain, so the whole operation may run again on the new head:
    /// the head moved underneath (concurrency token), or another writer took the sequence or created the head first.
    /// </summary>
    public bool IsChainConflict(DbUpdateException ex) =>
        ex is DbUpdateConcurrencyException
            ? ex.Entries.Any(e => e.Entity is AuditChainHead)
            : UniqueViolation.On<AuditEvent>(db, ex) || UniqueViolation.On<AuditChainHead>(db, ex);

    /// <summary>
    /// A chain without a head. Every organization gets one when it is made (<see cref="StartChain"/>), and chains
    /// written before heads existed get theirs at start-up (<see cref="SealUnheadedChainsAsync"/>); so a missing head
    /// means it was deleted, and carrying on from whatever tail is left would paper over that.
    /// </summary>
    private static InvalidOperationException ChainWithoutHead(string organizationId) =>
        new($"The audit chain of organization {organizationId} has no head; it was tampered with. Verify it on the audit log page.");

    /// <summary>Adds a new organization's (empty) chain head to the DbContext; the organization's save writes it.</summary>
    public void StartChain(string organizationId)
    {
        var head = new AuditChainHead { OrganizationId = organizationId, Sequence = 0, Hash = GenesisHash };
        head.Seal = ComputeSeal(head, key.Key);
        db.AuditChainHeads.Add(head);
    }

    /// <summary>
    /// Gives every organization without a head one at its newest event, if that chain predates keyed hashes (all its
    /// events plain SHA-256, or none): from then on, every chain is anchored by a sealed head, and rewriting or
    /// emptying one is found. A chain with keyed events and no head is left unheaded, so verify reports it.
    /// Run at start-up; instances racing insert the same head, and the loser's insert is dropped.
    /// </summary>
    public async Task<int> SealUnheadedChainsAsync(CancellationToken ct = default)
    {
        var unheaded = await db.Organizations
            .Where(o => !db.AuditChainHeads.Any(h => h.OrganizationId == o.Id))
            .Where(o => !db.AuditEvents.Any(e => e.OrganizationId == o.Id && e.HashAlgorithm != AuditHashAlgorithm.Sha256))
            .Select(o => new
            {
                o.Id,
                Last = db.AuditEvents.Where(e => e.OrganizationId == o.Id).OrderByDescending(e => e.Sequence)
                    .Select(e => new { e.Sequence, e.Hash }).FirstOrDefault(),
            })
            .ToListAsync(ct);
        var sealedCount = 0;
        foreach (var chain in unheaded)
        {
            var head = new AuditChainHead { OrganizationId = chain.Id, Sequence = chain.Last?.Sequence ?? 0, Hash = chain.Last?.Hash ?? GenesisHash };
            head.Seal = ComputeSeal(head, key.Key);
            db.AuditChainHeads.Add(head);
            try
            {
                await db.SaveChangesAsync(ct);
                sealedCount++;
            }
            catch (DbUpdateException ex) when (UniqueViolation.On<AuditChainHead>(db, ex))
            {
                // Another instance sealed it first (the head's key is the organization); anything else is real. No
                // transaction is open, so the failed insert took nothing else with it.
                db.ChangeTracker.Clear();
            }
        }
        return sealedCount;
    }

    /// <summary>The organization's events, newest first, optionally for one key. Test keys read only test-mode events.</summary>
    public async Task<OperationResult<CursorPage<AuditEvent>>> ListAsync(
        Caller caller, string? apiKeyId, int? limit, string? startingAfter, CancellationToken ct = default)
    {
        if (!caller.Scopes.Allows(ApiKeys.Scopes.AuditRead))
            return OperationError.InsufficientScope(ApiKeys.Scopes.AuditRead);
        var errors = new ValidationErrors();
        CursorPaging.Validate(errors, limit, startingAfter, EntityId.AuditEventPrefix);
        if (apiKeyId is not null && !EntityId.HasShape(apiKeyId, EntityId.ApiKeyPrefix))
            errors.Add("key_id", "key_id must be an id starting with key_.");
        if (errors.Any)
            return errors.ToError();

        var events = db.AuditEvents.AsNoTracking().VisibleTo(caller);
        if (apiKeyId is not null)
            events = events.Where(e => e.ApiKeyId == apiKeyId);
        if (startingAfter is not null)
        {
            // The chain's order is the sequence; the cursor is an event id, so find where it sits.
            var cursor = await events.Where(e => e.Id == startingAfter).Select(e => (long?)e.Sequence).SingleOrDefaultAsync(ct);
            if (cursor is null)
                return OperationError.Invalid(new Dictionary<string, string[]> { ["starting_after"] = ["starting_after is not an event of this list."] });
            events = events.Where(e => e.Sequence < cursor);
        }

        var take = limit ?? CursorPaging.DefaultLimit;
        var rows = await events.OrderByDescending(e => e.Sequence).Take(take + 1).ToListAsync(ct);
        return new CursorPage<AuditEvent>(rows.Take(take).ToList(), rows.Count > take);
    }

    /// <summary>
    /// Walks the chain in order and reports the first event whose link or content does not check out, then checks
    /// the head: it must name the newest event and carry a valid seal, so deleting the newest events is found too.
    /// </summary>
    public async Task<AuditVerification> VerifyAsync(string organizationId, CancellationToken ct = default)
    {
        var head = await db.AuditChainHeads.AsNoTracking().SingleOrDefaultAsync(h => h.OrganizationId == organizationId, ct);
        var expectedPrevious = GenesisHash;
        long expectedSequence = 1;
        long unkeyed = 0;
        AuditEvent? last = null;
        await foreach (var e in db.AuditEvents.AsNoTracking()
                           .Where(e => e.OrganizationId == organizationId)
                           .OrderBy(e => e.Sequence)
                           .AsAsyncEnumerable()
                           .WithCancellation(ct))
        {
            var problem = e.Sequence != expectedSequence ? $"expected sequence {expectedSequence}, found {e.Sequence} (an event is missing)"
                : !e.PreviousHash.AsSpan().SequenceEqual(expectedPrevious) ? "previous_hash does not match the event before it"
                : !Enum.IsDefined(e.HashAlgorithm) ? "the event names an unknown hash algorithm"
                : e.HashAlgorithm == AuditHashAlgorithm.Sha256 && unkeyed < expectedSequence - 1
                    ? "the event carries a plain SHA-256 hash after keyed events (written or rewritten without the audit key)"
                : !CryptographicOperations.FixedTimeEquals(e.Hash, ComputeHash(e, key.Key)) ? "the event's content does not match its hash"
                : null;
            if (problem is not null)
                return new AuditVerification(expectedSequence - 1, e.Sequence, e.Id, problem, unkeyed);
            if (e.HashAlgorithm == AuditHashAlgorithm.Sha256)
                unkeyed++;
            expectedPrevious = e.Hash;
            expectedSequence++;
            last = e;
        }

        var checkedEvents = expectedSequence - 1;
        var headProblem = CheckHead(head, last);
        return headProblem is null
            ? new AuditVerification(checkedEvents, null, null, null, unkeyed)
            : new AuditVerification(checkedEvents, headProblem.Value.Sequence, null, headProblem.Value.Problem, unkeyed);
    }

    /// <summary>What is wrong with the head given the newest event that is left, if anything; the sequence to report it at.</summary>
    private (long Sequence, string Problem)? CheckHead(AuditChainHead? head, AuditEvent? last)
    {
        var next = (last?.Sequence ?? 0) + 1;
        if (head is null)
        {
            // Every organization has one from its creation (or, for chains older than heads, from the first start
            // after the upgrade): a missing head was deleted, and with it whatever it anchored.
            return (next, "the chain's head is missing (every organization's chain has one)");
        }
        if (!CryptographicOperations.FixedTimeEquals(head.Seal, ComputeSeal(head, key.Key)))
            return (head.Sequence, "the chain's head does not match its seal (it was changed without the audit key)");
        if (head.Sequence > (last?.Sequence ?? 0))
            return (next, $"the chain's head names event {head.Sequence}, but the newest event is {last?.Sequence ?? 0} (the newest events were deleted)");
        var (newest, newestHash) = last is null ? (0L, GenesisHash) : (last.Sequence, last.Hash);
        if (head.Sequence != newest || !head.Hash.AsSpan().SequenceEqual(newestHash))
            return (head.Sequence, $"the chain's head names event {head.Sequence} with another hash than the newest event {newest}");
        return null;
    }

    /// <summary>
    /// The event's hash over the previous hash and a canonical JSON of every stored field but the hash itself:
    /// SHA-256 for events written before keyed hashes (format 1), HMAC-SHA256 under the audit key since (format 2).
    /// </summary>
    internal static byte[] ComputeHash(AuditEvent e, ReadOnlySpan<byte> key)
    {
        var format = e.HashAlgorithm == AuditHashAlgorithm.Sha256 ? 1 : 2;
        var canonical = JsonSerializer.Serialize(new object?[]
        {
            format, e.Id, e.OrganizationId, e.Sequence, e.Action, e.ActorType, e.ActorId, e.ApiKeyId, e.Livemode,
            e.IpAddress, e.UserAgent, e.OccurredAt.UtcTicks.ToString(CultureInfo.InvariantCulture), e.Changes,
        });
        byte[] data = [.. e.PreviousHash, .. Encoding.UTF8.GetBytes(canonical)];
        return e.HashAlgorithm switch
        {
            AuditHashAlgorithm.Sha256 => SHA256.HashData(data),
            AuditHashAlgorithm.HmacSha256 => HMACSHA256.HashData(key, data),
            _ => throw new ArgumentOutOfRangeException(nameof(e), e.HashAlgorithm, "Unknown audit hash algorithm."),
        };
    }

    /// <summary>The head's seal: HMAC over the organization, the sequence and the newest hash.</summary>
    internal static byte[] ComputeSeal(AuditChainHead head, ReadOnlySpan<byte> key)
    {
        var canonical = JsonSerializer.Serialize(new object?[] { "head", head.OrganizationId, head.Sequence });
        return HMACSHA256.HashData(key, [.. Encoding.UTF8.GetBytes(canonical), .. head.Hash]);
    }

    /// <summary>
    /// The hash covers the time as stored. Storage keeps less than the clock's 100 ns ticks (SQLite's binary form keeps
    /// 0.1 ms, PostgreSQL 1 µs), so the time is cut to whole milliseconds first and reads back exactly.
    /// </summary>
    private static DateTimeOffset WholeMilliseconds(DateTimeOffset value) =>
        new(value.UtcTicks - value.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    private static string? Truncate(string? value, int length) => value is null || value.Length <= length ? value : value[..length];
}

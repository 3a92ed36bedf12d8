using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Backside.Core.Common;
using Backside.Core.Data;
using Backside.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Backside.Core.Audit;

/// <summary>What a verification of an organization's chain found: the first broken link, if any.</summary>
public sealed record AuditVerification(long EventsChecked, long? BrokenAtSequence, string? BrokenEventId, string? Problem)
{
    public bool IsIntact => BrokenAtSequence is null;
}

/// <summary>Appends events to an organization's hash chain and verifies it.</summary>
public sealed class AuditTrail(BacksideDbContext db, TimeProvider time)
{
    public static readonly byte[] GenesisHash = new byte[32];

    /// <summary>
    /// Adds the next link of the caller's organization chain to the DbContext; the caller's <c>SaveChanges</c>
    /// writes it in the same transaction as the change it describes.
    /// </summary>
    public async Task AppendAsync(Caller caller, string action, string? apiKeyId, bool livemode, ChangeSet changes, CancellationToken ct)
    {
        var last = await db.AuditEvents
            .Where(e => e.OrganizationId == caller.OrganizationId)
            .OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash })
            .FirstOrDefaultAsync(ct);

        var entry = new AuditEvent
        {
            Id = EntityId.New(EntityId.AuditEventPrefix, time),
            OrganizationId = caller.OrganizationId,
            Sequence = (last?.Sequence ?? 0) + 1,
            Action = action,
            ActorType = caller.Kind switch { CallerKind.ApiKey => "api_key", CallerKind.Wallet => "wallet", _ => "user" },
            ActorId = caller.ActorId,
            ApiKeyId = apiKeyId,
            Livemode = livemode,
            IpAddress = caller.Client?.IpAddress,
            UserAgent = Truncate(caller.Client?.UserAgent, 512),
            OccurredAt = WholeMilliseconds(time.GetUtcNow()),
            Changes = changes.ToJson(),
            PreviousHash = last?.Hash ?? GenesisHash,
        };
        entry.Hash = ComputeHash(entry);
        db.AuditEvents.Add(entry);
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

        var events = db.AuditEvents.AsNoTracking().Where(e => e.OrganizationId == caller.OrganizationId);
        if (caller.IsApiKey)
            events = events.Where(e => e.Livemode == caller.Livemode);
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

    /// <summary>Offset paging for the dashboard's audit grid, newest first, with a total.</summary>
    public async Task<(IReadOnlyList<AuditEvent> Items, int Total)> PageAsync(
        Caller caller, int page, int pageSize, string? apiKeyId = null, CancellationToken ct = default)
    {
        if (!caller.Scopes.Allows(ApiKeys.Scopes.AuditRead))
            return ([], 0);
        var events = db.AuditEvents.AsNoTracking().Where(e => e.OrganizationId == caller.OrganizationId);
        if (apiKeyId is not null)
            events = events.Where(e => e.ApiKeyId == apiKeyId);
        var total = await events.CountAsync(ct);
        var size = Math.Clamp(pageSize, 1, CursorPaging.MaxLimit);
        var items = await events.OrderByDescending(e => e.Sequence).Skip(Math.Max(page, 0) * size).Take(size).ToListAsync(ct);
        return (items, total);
    }

    /// <summary>Walks the chain in order and reports the first event whose link or content does not check out.</summary>
    public async Task<AuditVerification> VerifyAsync(string organizationId, CancellationToken ct = default)
    {
        var expectedPrevious = GenesisHash;
        long expectedSequence = 1;
        await foreach (var e in db.AuditEvents.AsNoTracking()
                           .Where(e => e.OrganizationId == organizationId)
                           .OrderBy(e => e.Sequence)
                           .AsAsyncEnumerable()
                           .WithCancellation(ct))
        {
            var problem = e.Sequence != expectedSequence ? $"expected sequence {expectedSequence}, found {e.Sequence} (an event is missing)"
                : !e.PreviousHash.AsSpan().SequenceEqual(expectedPrevious) ? "previous_hash does not match the event before it"
                : !e.Hash.AsSpan().SequenceEqual(ComputeHash(e)) ? "the event's content does not match its hash"
                : null;
            if (problem is not null)
                return new AuditVerification(expectedSequence - 1, e.Sequence, e.Id, problem);
            expectedPrevious = e.Hash;
            expectedSequence++;
        }
        return new AuditVerification(expectedSequence - 1, null, null, null);
    }

    /// <summary>SHA-256 over the previous hash and a canonical JSON of every stored field but the hash itself.</summary>
    internal static byte[] ComputeHash(AuditEvent e)
    {
        var canonical = JsonSerializer.Serialize(new object?[]
        {
            1, e.Id, e.OrganizationId, e.Sequence, e.Action, e.ActorType, e.ActorId, e.ApiKeyId, e.Livemode,
            e.IpAddress, e.UserAgent, e.OccurredAt.UtcTicks.ToString(CultureInfo.InvariantCulture), e.Changes,
        });
        return SHA256.HashData([.. e.PreviousHash, .. Encoding.UTF8.GetBytes(canonical)]);
    }

    /// <summary>
    /// The hash covers the time as stored. Storage keeps less than the clock's 100 ns ticks (SQLite's binary form keeps
    /// 0.1 ms, PostgreSQL 1 µs), so the time is cut to whole milliseconds first and reads back exactly.
    /// </summary>
    private static DateTimeOffset WholeMilliseconds(DateTimeOffset value) =>
        new(value.UtcTicks - value.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    private static string? Truncate(string? value, int length) => value is null || value.Length <= length ? value : value[..length];
}

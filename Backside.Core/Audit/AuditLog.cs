using System.Runtime.CompilerServices;
using System.Text.Json;
using Backside.Core.ApiKeys;
using Backside.Core.Common;
using Backside.Core.Data;
using Backside.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Backside.Core.Audit;

/// <summary>
/// Reads the audit log as people do: filtered (<see cref="AuditLogFilter"/>), newest first, with names instead of ids.
/// Every read starts from <see cref="Visibility"/>'s filter, and names are resolved only within the reader's
/// organization: a current member by email, anyone else only as a former member or a deleted account, keys by name
/// and hint. A page costs the same few queries however many rows it has.
/// </summary>
public sealed class AuditLog(BacksideDbContext db)
{
    /// <summary>The most rows one export holds (the newest that match); narrow the dates for older ones.</summary>
    public const int MaxExportRows = 10_000;

    /// <summary>Rows read (and named) at a time while exporting, so a large export never sits in memory whole.</summary>
    internal const int ExportBatchSize = 500;

    private const int MaxSuggestions = 10;

    /// <summary>The fields of an event's changes that hold a person's id (member and ownership events).</summary>
    public static IReadOnlyList<string> PersonFields { get; } = ["user_id", "from_user_id", "to_user_id"];

    public async Task<OperationResult<AuditEventPage>> PageAsync(
        Caller caller, AuditLogFilter filter, int page, int pageSize, CancellationToken ct = default)
    {
        if (Select(caller, filter, out var events) is { } error)
            return error;
        var total = await events.CountAsync(ct);
        var size = Math.Clamp(pageSize, 1, CursorPaging.MaxLimit);
        var rows = await events.OrderByDescending(e => e.Sequence).Skip(Math.Max(page, 0) * size).Take(size).ToListAsync(ct);
        return new AuditEventPage(await NameAsync(caller, rows, ct), total);
    }

    /// <summary>
    /// Every event the filter selects, newest first, at most <paramref name="maxRows"/> (bounded by
    /// <see cref="MaxExportRows"/>), read and named a batch at a time as the caller consumes them.
    /// </summary>
    public OperationResult<AuditLogExport> Export(Caller caller, AuditLogFilter filter, int maxRows = MaxExportRows)
    {
        if (Select(caller, filter, out var events) is { } error)
            return error;
        var bound = Math.Clamp(maxRows, 0, MaxExportRows);
        return new AuditLogExport(ReadAsync(caller, events, bound), bound);
    }

    /// <summary>People and keys of the organization whose email, name or hint contains <paramref name="text"/>, for the actor filter.</summary>
    public async Task<IReadOnlyList<AuditName>> SuggestActorsAsync(Caller caller, string? text, CancellationToken ct = default)
    {
        if (!caller.Scopes.Allows(Scopes.AuditRead))
            return [];
        var search = Search(text);
        var people = db.OrganizationMembers.Where(m => m.OrganizationId == caller.OrganizationId)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { u.Id, u.Email });
        if (search is not null)
            people = people.WhereAnyContains(db.Database, search, p => p.Email);
        var found = await people.OrderBy(p => p.Email).Take(MaxSuggestions).ToListAsync(ct);
        return [.. found.Select(p => new AuditName(p.Id, AuditNameKind.Person, p.Email)), .. await SuggestKeysAsync(caller, search, ct)];
    }

    /// <summary>Keys of the organization (in the caller's mode, for a key) whose name or hint contains <paramref name="text"/>.</summary>
    public async Task<IReadOnlyList<AuditName>> SuggestKeysAsync(Caller caller, string? text, CancellationToken ct = default)
    {
        if (!caller.Scopes.Allows(Scopes.AuditRead))
            return [];
        var keys = db.ApiKeys.AsNoTracking().VisibleTo(caller);
        if (Search(text) is { } search)
            keys = keys.WhereAnyContains(db.Database, search, k => k.Name, k => k.Hint);
        var found = await keys.OrderBy(k => k.Name).ThenBy(k => k.Id).Take(MaxSuggestions).Select(k => new { k.Id, k.Name, k.Hint }).ToListAsync(ct);
        return found.Select(k => new AuditName(k.Id, AuditNameKind.ApiKey, k.Name, k.Hint)).ToList();
    }

    /// <summary>Names the people and keys <paramref name="events"/> mention: one query for people, one for keys.</summary>
    public async Task<IReadOnlyList<AuditLogEntry>> NameAsync(Caller caller, IReadOnlyList<AuditEvent> events, CancellationToken ct = default)
    {
        var userIds = new HashSet<string>(StringComparer.Ordinal);
        var keyIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (e.ActorType == AuditActorTypes.User)
                userIds.Add(e.ActorId);
            else if (e.ActorType == AuditActorTypes.ApiKey)
                keyIds.Add(e.ActorId);
            if (e.ApiKeyId is { } keyId)
                keyIds.Add(keyId);
            userIds.UnionWith(PeopleIn(e.Changes));
        }

        var names = new Dictionary<string, AuditName>(StringComparer.Ordinal);
        if (userIds.Count > 0)
        {
            // Whether each account still exists, and its email only while it is a member of the reader's organization.
            var organizationId = caller.OrganizationId;
            var people = await db.Users.AsNoTracking()
                .Where(u => userIds.Contains(u.Id))
                .Select(u => new
                {
                    u.Id,
                    Email = db.OrganizationMembers.Any(m => m.OrganizationId == organizationId && m.UserId == u.Id) ? u.Email : null,
                })
                .ToListAsync(ct);
            foreach (var person in people)
            {
                names[person.Id] = person.Email is null
                    ? new AuditName(person.Id, AuditNameKind.FormerMember)
                    : new AuditName(person.Id, AuditNameKind.Person, person.Email);
            }
        }
        if (keyIds.Count > 0)
        {
            var keys = await db.ApiKeys.AsNoTracking().VisibleTo(caller)
                .Where(k => keyIds.Contains(k.Id))
                .Select(k => new { k.Id, k.Name, k.Hint })
                .ToListAsync(ct);
            foreach (var key in keys)
                names[key.Id] = new AuditName(key.Id, AuditNameKind.ApiKey, key.Name, key.Hint);
        }
        var resolved = new AuditNames(names);
        return events.Select(e => new AuditLogEntry(e, resolved)).ToList();
    }

    /// <summary>The caller's events the filter selects; the one place every read of the log starts from.</summary>
    private OperationError? Select(Caller caller, AuditLogFilter filter, out IQueryable<AuditEvent> events)
    {
        events = db.AuditEvents.Where(e => false);
        if (!caller.Scopes.Allows(Scopes.AuditRead))
            return OperationError.InsufficientScope(Scopes.AuditRead);
        var errors = new ValidationErrors();
        filter.Validate(errors);
        if (errors.Any)
            return errors.ToError();

        events = db.AuditEvents.AsNoTracking().VisibleTo(caller);
        if (filter.Action is { } action)
            events = events.Where(e => e.Action == action);
        if (filter.ActorId is { } actorId)
            events = events.Where(e => e.ActorId == actorId);
        if (filter.ApiKeyId is { } keyId)
            events = events.Where(e => e.ApiKeyId == keyId);
        if (filter.From is { } from)
            events = events.Where(e => e.OccurredAt >= from);
        if (filter.To is { } to)
            events = events.Where(e => e.OccurredAt < to);
        if (Search(filter.Search) is { } text)
        {
            // The text as stored, or the name of a person (current members only) or key the event names.
            var people = db.OrganizationMembers.Where(m => m.OrganizationId == caller.OrganizationId)
                .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { u.Id, u.Email })
                .WhereAnyContains(db.Database, text, p => p.Email)
                .Select(p => p.Id);
            var keys = db.ApiKeys.VisibleTo(caller).WhereAnyContains(db.Database, text, k => k.Name, k => k.Hint).Select(k => k.Id);
            var byText = events.WhereAnyContains(db.Database, text,
                e => e.Action, e => e.ActorId, e => e.ApiKeyId, e => e.IpAddress, e => e.UserAgent, e => e.Changes);
            var byName = events.Where(e => people.Contains(e.ActorId) || keys.Contains(e.ActorId) || keys.Contains(e.ApiKeyId!));
            events = byText.Union(byName);
        }
        return null;
    }

    /// <summary>Newest first, a batch at a time from below the last sequence read, so no reader stays open between batches.</summary>
    private async IAsyncEnumerable<AuditLogEntry> ReadAsync(
        Caller caller, IQueryable<AuditEvent> events, int maxRows, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var left = maxRows;
        long? below = null;
        while (left > 0)
        {
            var batch = events;
            if (below is { } sequence)
                batch = batch.Where(e => e.Sequence < sequence);
            var rows = await batch.OrderByDescending(e => e.Sequence).Take(Math.Min(ExportBatchSize, left)).ToListAsync(ct);
            foreach (var entry in await NameAsync(caller, rows, ct))
                yield return entry;
            if (rows.Count < Math.Min(ExportBatchSize, left))
                yield break;
            left -= rows.Count;
            below = rows[^1].Sequence;
        }
    }

    private static string? Search(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>The person ids an event's changes name (see <see cref="PersonFields"/>).</summary>
    private static List<string> PeopleIn(string changesJson)
    {
        using var document = JsonDocument.Parse(changesJson);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            return [];
        var found = new List<string>();
        foreach (var field in PersonFields)
        {
            if (document.RootElement.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
                && value.GetString() is { } id && EntityId.HasShape(id, EntityId.UserPrefix))
                found.Add(id);
        }
        return found;
    }
}

using Backside.Core.ApiKeys;
using Backside.Core.Common;
using Backside.Core.Data;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Core.Payments;
using Microsoft.EntityFrameworkCore;

namespace Backside.Core.Usage;

/// <summary>
/// Reads the hourly buckets the usage flush writes. Everything is in UTC. A range shows at most the organization's plan's
/// <see cref="PlanOptions.UsageHistoryDays"/>: an earlier start moves up to where that history begins (the answer's
/// <c>From</c> says so), and so does an earlier end: a range wholly before the history is empty, from and to both where it starts.
/// </summary>
public sealed class UsageService(BacksideDbContext db, TimeProvider time, OrganizationPlanService plans)
{
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(92);

    /// <summary>One key's requests between <paramref name="from"/> and <paramref name="to"/>, every period present (zeros included).</summary>
    public async Task<OperationResult<KeyUsage>> ForKeyAsync(Caller caller, string keyId, DateTimeOffset? from, DateTimeOffset? to, string? granularity, CancellationToken ct = default)
    {
        if (!caller.Scopes.Allows(Scopes.UsageRead))
            return OperationError.InsufficientScope(Scopes.UsageRead);
        var errors = new ValidationErrors();
        var unit = ParseGranularity(errors, granularity);
        var (start, end) = Range(errors, from, to, unit);
        if (!errors.Any)
            (start, end) = WithinHistory(start, end, unit, await plans.ForOrganizationAsync(caller.OrganizationId, ct));
        if (errors.Any)
            return errors.ToError();

        var keys = db.ApiKeys.VisibleTo(caller).Where(k => k.Id == keyId);
        if (!EntityId.HasShape(keyId, EntityId.ApiKeyPrefix) || !await keys.AnyAsync(ct))
            return OperationError.NotFound("API key");

        var buckets = await db.UsageBuckets.AsNoTracking()
            .Where(b => b.ApiKeyId == keyId && b.HourStart >= start && b.HourStart < end)
            .ToListAsync(ct);
        var byPeriod = buckets.GroupBy(b => PeriodStart(b.HourStart, unit)).ToDictionary(g => g.Key, g => g.Select(Counts).Aggregate((a, b) => a + b));
        var points = new List<UsagePoint>();
        for (var period = start; period < end; period = Next(period, unit))
            points.Add(new UsagePoint(period, byPeriod.GetValueOrDefault(period)));
        return new KeyUsage(keyId, unit, start, end, points, points.Aggregate(default(UsageCounts), (sum, p) => sum + p.Counts));
    }

    /// <summary>Ranges up to this long are shown by hour when the caller does not choose; longer ones by day.</summary>
    public static readonly TimeSpan HourlyUpTo = TimeSpan.FromDays(2);

    /// <summary>
    /// The organization's totals, its busiest keys and its requests per period over the range (last 30 days by
    /// default), for all keys or only the live or test ones. The range is in whole hours; with days, the first point
    /// starts at the range's start and the last ends at its end. Two grouped queries, both bounded by the range.
    /// </summary>
    public async Task<OperationResult<OrganizationUsage>> ForOrganizationAsync(Caller caller, DateTimeOffset? from, DateTimeOffset? to,
        string? environment = null, string? granularity = null, int top = 10, CancellationToken ct = default)
    {
        if (!caller.Scopes.Allows(Scopes.UsageRead))
            return OperationError.InsufficientScope(Scopes.UsageRead);
        var errors = new ValidationErrors();
        bool? livemode = null;
        if (environment is not null)
        {
            if (ApiKeyEnvironments.TryParse(environment, out var live))
                livemode = live;
            else
                errors.Add("environment", "environment must be live or test.");
        }
        UsageGranularity? unit = granularity is null ? null : ParseGranularity(errors, granularity);
        var (start, end) = Range(errors, from ?? StartOfHour(time.GetUtcNow()).AddDays(-30), to, UsageGranularity.Hour);
        if (!errors.Any)
            (start, end) = WithinHistory(start, end, UsageGranularity.Hour, await plans.ForOrganizationAsync(caller.OrganizationId, ct));
        if (errors.Any)
            return errors.ToError();
        var period = unit ?? (end - start <= HourlyUpTo ? UsageGranularity.Hour : UsageGranularity.Day);

        // Through the keys the caller may see: a key caller counts only its own mode's keys.
        var keys = db.ApiKeys.VisibleTo(caller);
        if (livemode is { } mode)
            keys = keys.Where(k => k.Livemode == mode);
        var buckets = db.UsageBuckets.AsNoTracking()
            .VisibleTo(caller)
            .Where(b => b.HourStart >= start && b.HourStart < end && keys.Any(k => k.Id == b.ApiKeyId));

        var perHour = await buckets
            .GroupBy(b => b.HourStart)
            .Select(g => new
            {
                HourStart = g.Key,
                Requests = g.Sum(b => b.Requests),
                Success = g.Sum(b => b.Success),
                ClientErrors = g.Sum(b => b.ClientErrors),
                ServerErrors = g.Sum(b => b.ServerErrors),
                Unauthorized = g.Sum(b => b.Unauthorized),
                Forbidden = g.Sum(b => b.Forbidden),
                RateLimited = g.Sum(b => b.RateLimited),
            })
            .ToListAsync(ct);
        var byPeriod = perHour
            .GroupBy(h => PeriodStart(h.HourStart, period))
            .ToDictionary(g => g.Key, g => g.Select(h => new UsageCounts(h.Requests, h.Success, h.ClientErrors, h.ServerErrors, h.Unauthorized, h.Forbidden, h.RateLimited))
                .Aggregate((a, b) => a + b));
        var points = new List<UsagePoint>();
        for (var p = PeriodStart(start, period); p < end; p = Next(p, period))
            points.Add(new UsagePoint(p < start ? start : p, byPeriod.GetValueOrDefault(p)));

        var busiest = await buckets
            .GroupBy(b => b.ApiKeyId)
            .Select(g => new
            {
                ApiKeyId = g.Key,
                Requests = g.Sum(b => b.Requests),
                Success = g.Sum(b => b.Success),
                ClientErrors = g.Sum(b => b.ClientErrors),
                ServerErrors = g.Sum(b => b.ServerErrors),
                Unauthorized = g.Sum(b => b.Unauthorized),
                Forbidden = g.Sum(b => b.Forbidden),
                RateLimited = g.Sum(b => b.RateLimited),
            })
            .OrderByDescending(k => k.Requests)
            .ThenBy(k => k.ApiKeyId)
            .Take(top)
            .ToListAsync(ct);
        var ids = busiest.Select(k => k.ApiKeyId).ToList();
        var names = await keys.AsNoTracking()
            .Where(k => ids.Contains(k.Id))
            .Select(k => new { k.Id, k.Name, k.Hint })
            .ToDictionaryAsync(k => k.Id, ct);
        var topKeys = busiest.Where(k => names.ContainsKey(k.ApiKeyId))
            .Select(k => new KeyTotal(k.ApiKeyId, names[k.ApiKeyId].Name, names[k.ApiKeyId].Hint,
                new UsageCounts(k.Requests, k.Success, k.ClientErrors, k.ServerErrors, k.Unauthorized, k.Forbidden, k.RateLimited)))
            .ToList();

        var paid = db.Payments.VisibleTo(caller).Where(p => p.CreatedAt >= start && p.CreatedAt < end);
        if (livemode is { } paidMode)
        {
            var network = paidMode ? X402Network.Base.V2Id : X402Network.BaseSepolia.V2Id;
            paid = paid.Where(p => p.Network == network);
        }
        return new OrganizationUsage(start, end, points.Aggregate(default(UsageCounts), (sum, p) => sum + p.Counts), topKeys,
            await paid.LongCountAsync(ct), await paid.SumAsync(p => (long?)p.Amount, ct) ?? 0)
        {
            Granularity = period,
            Environment = livemode is { } m ? (m ? ApiKeyEnvironments.Live : ApiKeyEnvironments.Test) : null,
            Points = points,
        };
    }

    public static readonly TimeSpan SuggestionWindow = TimeSpan.FromDays(30);

    /// <summary>
    /// The narrower scopes a key could have: what it actually used in the last 30 days, when that is less than it
    /// holds. Null when there is nothing to suggest (a young key, no use yet, or every scope used).
    /// </summary>
    public async Task<IReadOnlyList<string>?> SuggestNarrowerScopesAsync(ApiKey key, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        if (key.Status == ApiKeyStatus.Revoked || now - key.CreatedAt < SuggestionWindow)
            return null;
        var since = now - SuggestionWindow;
        var used = await db.ScopeUses.AsNoTracking()
            .Where(s => s.ApiKeyId == key.Id && s.LastSeenAt >= since)
            .Select(s => s.Scope)
            .ToListAsync(ct);
        if (used.Count == 0)
            return null;
        // Keep write where write was used; read is implied by it.
        var suggested = used.Where(s => !used.Any(other => other != s && Scopes.Implies(other, s))).Order(StringComparer.Ordinal).ToList();
        var held = ScopeSet.FromStored(key.Scopes);
        var narrower = held.IsFull || held.Values!.Any(h => !suggested.Any(s => Scopes.Implies(s, h)));
        return narrower ? suggested : null;
    }

    /// <summary>Keys that still work but made no request for 30 days (or never, and are older than that): candidates to revoke.</summary>
    public Task<List<ApiKey>> UnusedKeysAsync(Caller caller, CancellationToken ct = default)
    {
        var cutoff = time.GetUtcNow() - SuggestionWindow;
        return db.ApiKeys.AsNoTracking()
            .VisibleTo(caller)
            .Where(k => k.Status != ApiKeyStatus.Revoked && (k.LastUsedAt == null ? k.CreatedAt < cutoff : k.LastUsedAt < cutoff))
            .OrderBy(k => k.LastUsedAt)
            .Take(100)
            .ToListAsync(ct);
    }

    /// <summary>The scopes a key used, with when it last used each.</summary>
    public Task<List<ScopeUse>> ScopesUsedAsync(string keyId, CancellationToken ct = default) =>
        db.ScopeUses.AsNoTracking().Where(s => s.ApiKeyId == keyId).ToListAsync(ct);

    private static UsageCounts Counts(UsageBucket b) =>
        new(b.Requests, b.Success, b.ClientErrors, b.ServerErrors, b.Unauthorized, b.Forbidden, b.RateLimited);

    private static UsageGranularity ParseGranularity(ValidationErrors errors, string? value)
    {
        switch (value)
        {
            case null or "hour":
                return UsageGranularity.Hour;
            case "day":
                return UsageGranularity.Day;
            default:
                errors.Add("granularity", "granularity must be hour or day.");
                return UsageGranularity.Hour;
        }
    }

    /// <summary>Whole periods: <c>from</c> rounds down, <c>to</c> up; by default the last 24 hours or 30 days.</summary>
    private (DateTimeOffset Start, DateTimeOffset End) Range(ValidationErrors errors, DateTimeOffset? from, DateTimeOffset? to, UsageGranularity unit)
    {
        // Dates near the ends of the calendar cannot be rounded to whole periods; nothing was counted there anyway.
        if (OutsideSupported(errors, "from", from) | OutsideSupported(errors, "to", to))
            return (MinSupported, MinSupported);
        // By default up to and including the period now in progress.
        var end = to ?? Next(PeriodStart(time.GetUtcNow(), unit), unit);
        var start = from ?? (unit == UsageGranularity.Day ? end.AddDays(-30) : end.AddHours(-25));
        if (start >= end)
            errors.Add("from", "from must be before to.");
        else if (end - start > MaxRange)
            errors.Add("from", $"The range may span at most {MaxRange.TotalDays:0} days.");
        var periodEnd = PeriodStart(end, unit);
        return (PeriodStart(start, unit), periodEnd == end ? end : Next(periodEnd, unit));
    }

    /// <summary>The first whole period within the plan's history (the hour now in progress counts as today).</summary>
    public DateTimeOffset HistoryStart(OrganizationPlan plan, UsageGranularity unit)
    {
        var earliest = StartOfHour(time.GetUtcNow()).AddHours(1).AddDays(-plan.Limits.UsageHistoryDays);
        var period = PeriodStart(earliest, unit);
        return period == earliest ? period : Next(period, unit);
    }

    /// <summary>Both ends clamped to the history: a range wholly before it becomes the empty range where it starts.</summary>
    private (DateTimeOffset Start, DateTimeOffset End) WithinHistory(DateTimeOffset start, DateTimeOffset end, UsageGranularity unit, OrganizationPlan plan)
    {
        var historyStart = HistoryStart(plan, unit);
        return (start < historyStart ? historyStart : start, end < historyStart ? historyStart : end);
    }

    private static readonly DateTimeOffset MinSupported = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset MaxSupported = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static bool OutsideSupported(ValidationErrors errors, string field, DateTimeOffset? value)
    {
        if (value is null || (value >= MinSupported && value <= MaxSupported))
            return false;
        errors.Add(field, $"{field} must be between {MinSupported:yyyy-MM-dd} and {MaxSupported:yyyy-MM-dd}.");
        return true;
    }

    private static DateTimeOffset PeriodStart(DateTimeOffset at, UsageGranularity unit) =>
        unit == UsageGranularity.Day ? new DateTimeOffset(at.UtcDateTime.Date, TimeSpan.Zero) : StartOfHour(at);

    private static DateTimeOffset StartOfHour(DateTimeOffset at) =>
        new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero);

    private static DateTimeOffset Next(DateTimeOffset period, UsageGranularity unit) =>
        unit == UsageGranularity.Day ? period.AddDays(1) : period.AddHours(1);
}

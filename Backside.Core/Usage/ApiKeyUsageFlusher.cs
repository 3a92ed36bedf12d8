using Backside.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Core.Usage;

/// <summary>
/// Writes what the tracker gathered in one transaction: a statement per key and hour, never one per request. Bucket
/// counts are added to what is stored in one upsert, so several instances can flush into the same rows at once.
/// </summary>
public sealed class ApiKeyUsageFlusher(ApiKeyUsageTracker tracker, IServiceScopeFactory scopes)
{
    /// <returns>How many rows (keys, hourly buckets, scope uses) were written.</returns>
    public async Task<int> FlushAsync(CancellationToken ct)
    {
        var batch = tracker.Drain();
        if (batch.IsEmpty)
            return 0;

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BacksideDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Rows in one order (key, then hour or scope) on every instance, so two flushes lock them in the same order.
            foreach (var (keyId, use) in batch.LastUses.OrderBy(u => u.Key, StringComparer.Ordinal))
            {
                // Never move last_used_at backwards: another instance may have flushed a later use already.
                await db.ApiKeys
                    .Where(k => k.Id == keyId && (k.LastUsedAt == null || k.LastUsedAt < use.At))
                    .ExecuteUpdateAsync(set => set.SetProperty(k => k.LastUsedAt, use.At).SetProperty(k => k.LastUsedIp, use.Ip), ct);
            }
            foreach (var bucket in batch.Buckets.OrderBy(b => b.ApiKeyId, StringComparer.Ordinal).ThenBy(b => b.HourStart))
                await AddToBucketAsync(db, bucket.ApiKeyId, bucket.OrganizationId, bucket.HourStart, bucket.Counts, ct);
            foreach (var (keyId, scopeName, at) in batch.Scopes.OrderBy(s => s.ApiKeyId, StringComparer.Ordinal).ThenBy(s => s.Scope, StringComparer.Ordinal))
                await RecordScopeAsync(db, keyId, scopeName, at, ct);
            await transaction.CommitAsync(ct);
            return batch.LastUses.Count + batch.Buckets.Count + batch.Scopes.Count;
        }
        catch
        {
            tracker.Restore(batch);
            throw;
        }
    }

    private static readonly string[] Counters =
    [
        nameof(UsageBucket.Requests), nameof(UsageBucket.Success), nameof(UsageBucket.ClientErrors), nameof(UsageBucket.ServerErrors),
        nameof(UsageBucket.Unauthorized), nameof(UsageBucket.Forbidden), nameof(UsageBucket.RateLimited),
    ];

    /// <summary>One upsert: another instance adding to the same key and hour at the same moment adds too, never overwrites.</summary>
    private static Task<int> AddToBucketAsync(BacksideDbContext db, string keyId, string organizationId, DateTimeOffset hour, UsageCounts c, CancellationToken ct) =>
        db.InsertOrAddAsync(
            new UsageBucket
            {
                ApiKeyId = keyId,
                OrganizationId = organizationId,
                HourStart = hour,
                Requests = c.Requests,
                Success = c.Success,
                ClientErrors = c.ClientErrors,
                ServerErrors = c.ServerErrors,
                Unauthorized = c.Unauthorized,
                Forbidden = c.Forbidden,
                RateLimited = c.RateLimited,
            },
            Counters,
            ct);

    private static Task<int> RecordScopeAsync(BacksideDbContext db, string keyId, string scope, DateTimeOffset at, CancellationToken ct) =>
        db.InsertOrKeepLatestAsync(new ScopeUse { ApiKeyId = keyId, Scope = scope, LastSeenAt = at }, nameof(ScopeUse.LastSeenAt), ct);
}

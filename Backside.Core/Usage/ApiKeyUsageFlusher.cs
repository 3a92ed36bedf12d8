using Backside.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Core.Usage;

/// <summary>
/// Writes what the tracker gathered in one transaction: a statement or two per key and hour, never one per request.
/// Bucket counts are added to what is stored, so several instances can flush into the same rows.
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
            foreach (var (keyId, use) in batch.LastUses)
            {
                // Never move last_used_at backwards: another instance may have flushed a later use already.
                await db.ApiKeys
                    .Where(k => k.Id == keyId && (k.LastUsedAt == null || k.LastUsedAt < use.At))
                    .ExecuteUpdateAsync(set => set.SetProperty(k => k.LastUsedAt, use.At).SetProperty(k => k.LastUsedIp, use.Ip), ct);
            }
            foreach (var bucket in batch.Buckets)
                await AddToBucketAsync(db, bucket.ApiKeyId, bucket.OrganizationId, bucket.HourStart, bucket.Counts, ct);
            foreach (var (keyId, scopeName, at) in batch.Scopes)
                await RecordScopeAsync(db, keyId, scopeName, at, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return batch.LastUses.Count + batch.Buckets.Count + batch.Scopes.Count;
        }
        catch
        {
            tracker.Restore(batch);
            throw;
        }
    }

    private static async Task AddToBucketAsync(BacksideDbContext db, string keyId, string organizationId, DateTimeOffset hour, UsageCounts c, CancellationToken ct)
    {
        var updated = await db.UsageBuckets
            .Where(b => b.ApiKeyId == keyId && b.HourStart == hour)
            .ExecuteUpdateAsync(set => set
                .SetProperty(b => b.Requests, b => b.Requests + c.Requests)
                .SetProperty(b => b.Success, b => b.Success + c.Success)
                .SetProperty(b => b.ClientErrors, b => b.ClientErrors + c.ClientErrors)
                .SetProperty(b => b.ServerErrors, b => b.ServerErrors + c.ServerErrors)
                .SetProperty(b => b.Unauthorized, b => b.Unauthorized + c.Unauthorized)
                .SetProperty(b => b.Forbidden, b => b.Forbidden + c.Forbidden)
                .SetProperty(b => b.RateLimited, b => b.RateLimited + c.RateLimited), ct);
        if (updated == 0)
        {
            db.UsageBuckets.Add(new UsageBucket
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
            });
        }
    }

    private static async Task RecordScopeAsync(BacksideDbContext db, string keyId, string scope, DateTimeOffset at, CancellationToken ct)
    {
        var exists = await db.ScopeUses.AnyAsync(s => s.ApiKeyId == keyId && s.Scope == scope, ct);
        if (exists)
            await db.ScopeUses.Where(s => s.ApiKeyId == keyId && s.Scope == scope && s.LastSeenAt < at)
                .ExecuteUpdateAsync(set => set.SetProperty(s => s.LastSeenAt, at), ct);
        else
            db.ScopeUses.Add(new ScopeUse { ApiKeyId = keyId, Scope = scope, LastSeenAt = at });
    }
}

using Backside.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Core.Usage;

/// <summary>Writes the tracker's pending usage to the keys in one transaction: one statement per key used, not per request.</summary>
public sealed class ApiKeyUsageFlusher(ApiKeyUsageTracker tracker, IServiceScopeFactory scopes)
{
    /// <returns>How many keys were updated.</returns>
    public async Task<int> FlushAsync(CancellationToken ct)
    {
        var batch = tracker.Drain();
        if (batch.Count == 0)
            return 0;

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BacksideDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            foreach (var (keyId, use) in batch)
            {
                // Never move last_used_at backwards: another instance may have flushed a later use already.
                await db.ApiKeys
                    .Where(k => k.Id == keyId && (k.LastUsedAt == null || k.LastUsedAt < use.At))
                    .ExecuteUpdateAsync(set => set
                        .SetProperty(k => k.LastUsedAt, use.At)
                        .SetProperty(k => k.LastUsedIp, use.Ip), ct);
            }
            await transaction.CommitAsync(ct);
            return batch.Count;
        }
        catch
        {
            tracker.Restore(batch);
            throw;
        }
    }
}

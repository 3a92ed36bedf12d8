using Backside.Core.Common;
using Backside.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Backside.Core.Audit;

/// <summary>
/// Runs a write to one organization's audit chain, the way <c>ApiKeyService</c> does for keys: on PostgreSQL the chain's
/// head is locked from the first read, so writers take turns and each reads what the one before wrote; elsewhere (and
/// as the fallback) a write that lost the race for the chain runs again from a fresh read, after a random pause of a
/// few milliseconds. One that loses every time gets 409 <c>write_conflict</c>, never a 500. Because every audited write
/// of an organization moves the same head, a rule read inside <paramref name="operation"/> (such as "one Owner
/// remains") still holds when the write commits.
/// </summary>
public static class AuditedWrites
{
    public const int MaxAttempts = 10;

    public static async Task<OperationResult<T>> RunAsync<T>(
        BacksideDbContext db, AuditTrail audit, string organizationId, Func<Task<OperationResult<T>>> operation, CancellationToken ct,
        Func<DbUpdateException, bool>? alsoLostRace = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Disposed (rolled back if not committed) before a retry: PostgreSQL aborts a transaction on an error.
                await using var chainWrite = await audit.BeginChainWriteAsync(organizationId, ct);
                return await operation();
            }
            catch (DbUpdateException ex) when ((audit.IsChainConflict(ex) || alsoLostRace?.Invoke(ex) == true) && !ct.IsCancellationRequested)
            {
                db.ChangeTracker.Clear();
                if (attempt == MaxAttempts)
                    return OperationError.Conflict("write_conflict", "Other changes to this organization were being saved at the same moment. Try again.");
                // Wall-clock on purpose: a pause between attempts, not the app's notion of time.
                await Task.Delay(Random.Shared.Next(1, 4 * attempt + 1), ct);
            }
        }
    }
}

using Backside.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Core.Payments;

/// <summary>
/// The replay store on the database: a reservation is an insert against the primary key, so of two instances (or two
/// requests) reserving the same authorization exactly one succeeds, and reservations survive restarts.
/// </summary>
public sealed class DatabasePaymentReplayStore(IServiceScopeFactory scopes, TimeProvider time) : IPaymentReplayStore
{
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromMinutes(10);
    private long nextPurgeTicks;

    public async Task<bool> TryReserveAsync(string key, DateTimeOffset keepUntil, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BacksideDbContext>();
        await PurgeExpiredNowAndThenAsync(db, ct);
        db.PaymentNonces.Add(new PaymentNonce { Key = key, ExpiresAt = keepUntil });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException ex) when (UniqueViolation.On<PaymentNonce>(db, ex))
        {
            return false;
        }
    }

    public async Task ReleaseAsync(string key, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BacksideDbContext>();
        await db.PaymentNonces.Where(n => n.Key == key).ExecuteDeleteAsync(ct);
    }

    /// <summary>After <c>validBefore</c> the chain refuses an authorization anyway, so its row can go.</summary>
    private async Task PurgeExpiredNowAndThenAsync(BacksideDbContext db, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var due = Interlocked.Read(ref nextPurgeTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref nextPurgeTicks, (now + PurgeInterval).UtcTicks, due) != due)
            return;
        await db.PaymentNonces.Where(n => n.ExpiresAt < now).ExecuteDeleteAsync(ct);
    }
}

using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Backside.Tests.Infrastructure;

/// <summary>
/// Refuses the next commit once armed: every statement of the save has run inside its transaction, then the commit
/// fails, so a test can prove that nothing of the save survives a rollback.
/// </summary>
public sealed class CommitRefusal : DbTransactionInterceptor
{
    private int armed;

    public int Refused { get; private set; }

    public void ArmOnce() => Volatile.Write(ref armed, 1);

    public override ValueTask<InterceptionResult> TransactionCommittingAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref armed, 0) == 1)
        {
            Refused++;
            throw new InvalidOperationException("Commit refused by the test.");
        }
        return ValueTask.FromResult(result);
    }
}

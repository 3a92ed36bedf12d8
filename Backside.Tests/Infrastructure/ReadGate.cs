using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Backside.Tests.Infrastructure;

/// <summary>
/// Holds one matching query of the app after it has read its rows and before it returns them, until the test
/// releases it: the way to make a write commit between a read and the use of what it read.
/// </summary>
public sealed class ReadGate : DbCommandInterceptor
{
    private Func<DbCommand, bool>? match;
    private TaskCompletionSource? reached;
    private TaskCompletionSource? released;

    public void HoldNext(Func<DbCommand, bool> matches)
    {
        reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        match = matches;
    }

    public Task Reached => reached?.Task.WaitAsync(TimeSpan.FromSeconds(30)) ?? throw new InvalidOperationException("The gate is not armed.");

    public void Release() => released?.TrySetResult();

    public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        var armed = match;
        if (armed is not null && armed(command) && Interlocked.CompareExchange(ref match, null, armed) == armed)
        {
            reached!.TrySetResult();
            released!.Task.Wait(TimeSpan.FromSeconds(30));
        }
        return result;
    }
}

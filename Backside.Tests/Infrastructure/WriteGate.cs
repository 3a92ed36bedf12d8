using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Backside.Tests.Infrastructure;

/// <summary>
/// Holds one matching <c>SaveChanges</c> of the app just before it writes, until the test releases it: the way to
/// make another write commit in between, deterministically.
/// </summary>
public sealed class WriteGate : SaveChangesInterceptor
{
    private Func<DbContext, bool>? match;
    private TaskCompletionSource? reached;
    private TaskCompletionSource? released;

    /// <summary>Arms the gate for the next save that <paramref name="matches"/>; later saves pass.</summary>
    public void HoldNext(Func<DbContext, bool> matches)
    {
        reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        match = matches;
    }

    /// <summary>Completes when the held save has arrived at the gate.</summary>
    public Task Reached => reached?.Task.WaitAsync(TimeSpan.FromSeconds(30)) ?? throw new InvalidOperationException("The gate is not armed.");

    public void Release() => released?.TrySetResult();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        var armed = match;
        if (armed is not null && eventData.Context is { } context && armed(context)
            && Interlocked.CompareExchange(ref match, null, armed) == armed)
        {
            reached!.TrySetResult();
            await released!.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }
        return result;
    }
}

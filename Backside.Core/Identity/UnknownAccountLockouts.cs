using System.Collections.Concurrent;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Backside.Core.Identity;

/// <summary>
/// Lockout for emails that have no account, kept in memory with Identity's own rule (the same number of failures, the
/// same lockout length), so that after five failures an unknown email answers exactly as a real, locked-out one does.
/// Keyed like Identity's own lookup (<see cref="EmailRules.Key"/>), so no spelling of an email counts apart.
/// </summary>
/// <remarks>
/// Minted emails cannot grow the table for ever: an entry is forgotten once its lockout has ended or a day after its
/// last failure, the sweep runs at most once a minute once the table is large, and past
/// <see cref="MaxEntries"/> new emails are not counted (a documented limit; reaching it takes thousands of address-minutes
/// of the sign-in budget).
/// </remarks>
public sealed class UnknownAccountLockouts(IOptions<IdentityOptions> identity, TimeProvider time)
{
    public const int MaxEntries = 200_000;
    private const int SweepThreshold = 10_000;
    private static readonly TimeSpan FailureMemory = TimeSpan.FromDays(1);
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private int count;
    private long lastSweep;

    /// <summary>Emails counted now.</summary>
    public int Count => Volatile.Read(ref count);

    /// <summary>When the email's lockout ends, if it is locked out now.</summary>
    public DateTimeOffset? LockedUntil(string email)
    {
        var now = time.GetUtcNow();
        return entries.TryGetValue(Key(email), out var entry) && entry.LockedUntil is { } end && end > now ? end : null;
    }

    /// <summary>Counts a failure as <see cref="UserManager{TUser}.AccessFailedAsync"/> would; the lockout's end once it starts.</summary>
    public DateTimeOffset? Failed(string email)
    {
        var now = time.GetUtcNow();
        if (Volatile.Read(ref count) > SweepThreshold)
            Sweep(now);
        var key = Key(email);
        if (Volatile.Read(ref count) >= MaxEntries && !entries.ContainsKey(key))
            return null;
        var lockout = identity.Value.Lockout;
        while (true)
        {
            if (entries.TryGetValue(key, out var current))
            {
                var next = Next(current, now, lockout);
                if (entries.TryUpdate(key, next, current))
                    return next.LockedUntil;
                continue;
            }
            var first = Next(new Entry(0, null, now), now, lockout);
            if (entries.TryAdd(key, first))
            {
                Interlocked.Increment(ref count);
                return first.LockedUntil;
            }
        }
    }

    private static Entry Next(Entry current, DateTimeOffset now, LockoutOptions lockout)
    {
        // A lockout that has ended starts the count again, as Identity does when it locks an account (count reset to 0).
        var failures = current.LockedUntil is { } end && end <= now ? 1 : current.Failures + 1;
        return failures >= lockout.MaxFailedAccessAttempts
            ? new Entry(0, now + lockout.DefaultLockoutTimeSpan, now)
            : new Entry(failures, null, now);
    }

    private void Sweep(DateTimeOffset now)
    {
        var last = Volatile.Read(ref lastSweep);
        if (now.UtcTicks - last < TimeSpan.TicksPerMinute || Interlocked.CompareExchange(ref lastSweep, now.UtcTicks, last) != last)
            return;
        foreach (var pair in entries)
        {
            var entry = pair.Value;
            var over = entry.LockedUntil is { } end ? end <= now : now - entry.LastFailure > FailureMemory;
            if (over && entries.TryRemove(pair))
                Interlocked.Decrement(ref count);
        }
    }

    private static string Key(string email) => EmailRules.Key(email);

    private sealed record Entry(int Failures, DateTimeOffset? LockedUntil, DateTimeOffset LastFailure);
}

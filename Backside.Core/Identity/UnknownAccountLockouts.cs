using System.Collections.Concurrent;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Backside.Core.Identity;

/// <summary>
/// Lockout for emails that have no account, kept in memory with Identity's own rule (the same number of failures, the
/// same lockout length), so that after five failures an unknown email answers exactly as a real, locked-out one does.
/// Entries whose lockout has ended are swept once the table grows, so minted emails cannot grow it forever.
/// </summary>
public sealed class UnknownAccountLockouts(IOptions<IdentityOptions> identity, TimeProvider time)
{
    private const int SweepThreshold = 10_000;
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    /// <summary>When the email's lockout ends, if it is locked out now.</summary>
    public DateTimeOffset? LockedUntil(string email)
    {
        var now = time.GetUtcNow();
        return entries.TryGetValue(Key(email), out var entry) && entry.LockedUntil is { } end && end > now ? end : null;
    }

    /// <summary>Counts a failure as <see cref="UserManager{TUser}.AccessFailedAsync"/> would; the lockout's end once it starts.</summary>
    public DateTimeOffset? Failed(string email)
    {
        if (entries.Count > SweepThreshold)
            Sweep();
        var lockout = identity.Value.Lockout;
        var now = time.GetUtcNow();
        var entry = entries.AddOrUpdate(Key(email),
            static (_, state) => Next(new Entry(0, null), state.now, state.lockout),
            static (_, current, state) => Next(current, state.now, state.lockout),
            (now, lockout));
        return entry.LockedUntil;
    }

    private static Entry Next(Entry current, DateTimeOffset now, LockoutOptions lockout)
    {
        // A lockout that has ended starts the count again, as Identity does when it locks an account (count reset to 0).
        var count = current.LockedUntil is { } end && end <= now ? 1 : current.Failures + 1;
        return count >= lockout.MaxFailedAccessAttempts ? new Entry(0, now + lockout.DefaultLockoutTimeSpan) : new Entry(count, null);
    }

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (key, entry) in entries)
        {
            if (entry.LockedUntil is { } end && end <= now)
                entries.TryRemove(key, out _);
        }
    }

    private static string Key(string email) => email.Trim().ToUpperInvariant();

    private sealed record Entry(int Failures, DateTimeOffset? LockedUntil);
}

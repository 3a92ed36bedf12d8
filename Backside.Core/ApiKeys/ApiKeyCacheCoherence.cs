namespace Backside.Core.ApiKeys;

/// <summary>
/// Whether this instance hears about key changes made elsewhere, and so how far it may trust what it has cached.
/// Without a shared cache it always hears (there is no elsewhere). With one, the announcement channel reports
/// <see cref="Unheard"/> when its subscription is lost and <see cref="Heard"/> once it is proven back.
/// </summary>
/// <remarks>
/// While unheard, an announcement may be missed, so an entry is trusted for <see cref="UnheardTrust"/> only and
/// then read again. Once heard again, everything loaded before (the loss, or during it) is dropped: the announcements
/// missed meanwhile are never delivered. <see cref="Epoch"/> counts both transitions, so a load can tell that one
/// happened while it ran.
/// </remarks>
public sealed class ApiKeyCacheCoherence(TimeProvider time)
{
    /// <summary>How old an entry may be while announcements might be missed.</summary>
    public static readonly TimeSpan UnheardTrust = TimeSpan.FromSeconds(1);

    private readonly Lock gate = new();
    private long epoch;
    private long heardSince;
    private volatile bool hearing = true;

    /// <summary>Counts every loss and every restoration of the announcements.</summary>
    public long Epoch => Volatile.Read(ref epoch);

    public bool IsHearing => hearing;

    public void Unheard()
    {
        lock (gate)
        {
            if (!hearing)
                return;
            hearing = false;
            Interlocked.Increment(ref epoch);
        }
    }

    /// <summary>Call only once an announcement sent after the restoration has come back.</summary>
    public void Heard()
    {
        lock (gate)
        {
            if (hearing)
                return;
            // The new bar first: a reader that sees hearing already sees it too.
            Volatile.Write(ref heardSince, Interlocked.Increment(ref epoch));
            hearing = true;
        }
    }

    /// <summary>Makes this instance's copy of an entry that came in through the second level.</summary>
    public CachedCredential Stamp(CachedCredential arrived) =>
        arrived with { Epoch = Epoch, CachedAt = time.GetTimestamp() };

    /// <summary>The hot path's check: two field reads while hearing; the clock only while unheard.</summary>
    public bool Trusts(CachedCredential cached) =>
        cached.Epoch >= Volatile.Read(ref heardSince)
        && (hearing || time.GetElapsedTime(cached.CachedAt) <= UnheardTrust);
}

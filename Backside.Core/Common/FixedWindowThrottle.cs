using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;

namespace Backside.Core.Common;

/// <summary>
/// Fixed windows of permits per partition (a client address, an account, a payer), each a
/// <see cref="FixedWindowRateLimiter"/>. Windows start and end by <see cref="TimeProvider"/>, like the per-key limiter.
/// </summary>
/// <remarks>
/// Partitions are named by callers from what a client sends, so the table is bounded twice: windows that ended are
/// swept (at most once a second, once the table is large), and when it is still full, new partitions share one
/// overflow window instead of adding rows — a flood of minted addresses or emails then throttles itself.
/// </remarks>
public sealed class FixedWindowThrottle(TimeProvider time)
{
    public const int MaxPartitions = 100_000;
    private const int SweepThreshold = 10_000;
    private const string OverflowPartition = "\0overflow";

    private readonly ConcurrentDictionary<string, Window> windows = new(StringComparer.Ordinal);
    /// <summary>Kept beside the table: its own <c>Count</c> takes every lock, and this is read on every request.</summary>
    private int count;
    private long lastSweep;

    /// <summary>Spends one permit of the partition; refused, with the time until its window ends, when none is left.</summary>
    public ThrottleDecision Acquire(string partition, int limit, TimeSpan window) => Take(partition, limit, window, permits: 1);

    /// <summary>Whether the partition has a permit left, without spending it: for budgets charged only afterwards.</summary>
    public ThrottleDecision Peek(string partition, int limit, TimeSpan window) => Take(partition, limit, window, permits: 0);

    /// <summary>
    /// The partition a client address belongs to: IPv4 addresses one by one, IPv6 by /64, the smallest block one
    /// subscriber is given (a throttle by single IPv6 address is no throttle at all).
    /// </summary>
    public static string AddressPartition(IPAddress? address)
    {
        if (address is null)
            return "unknown";
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address.ToString();
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }

    private ThrottleDecision Take(string partition, int limit, TimeSpan length, int permits)
    {
        var now = time.GetUtcNow();
        if (Volatile.Read(ref count) > SweepThreshold)
            Sweep(now);
        if (Volatile.Read(ref count) >= MaxPartitions && !windows.ContainsKey(partition))
            partition = OverflowPartition;
        var window = CurrentWindow(partition, limit, length, now);
        using var lease = window.Permits.AttemptAcquire(permits);
        return lease.IsAcquired ? ThrottleDecision.Allow : new ThrottleDecision(false, window.End - now);
    }

    /// <summary>The partition's window, a new one once it has ended; adds and removals keep <see cref="count"/> exact.</summary>
    private Window CurrentWindow(string partition, int limit, TimeSpan length, DateTimeOffset now)
    {
        while (true)
        {
            if (windows.TryGetValue(partition, out var current))
            {
                if (now < current.End)
                    return current;
                var renewed = new Window(limit, now + length);
                if (windows.TryUpdate(partition, renewed, current))
                    return renewed;
                continue;
            }
            var added = new Window(limit, now + length);
            if (windows.TryAdd(partition, added))
            {
                Interlocked.Increment(ref count);
                return added;
            }
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        var last = Volatile.Read(ref lastSweep);
        if (now.UtcTicks - last < TimeSpan.TicksPerSecond || Interlocked.CompareExchange(ref lastSweep, now.UtcTicks, last) != last)
            return;
        foreach (var (partition, window) in windows)
        {
            if (now >= window.End && windows.TryRemove(KeyValuePair.Create(partition, window)))
                Interlocked.Decrement(ref count);
        }
    }

    /// <summary>One partition's window. Replenishment is off, so the limiter owns no timer and needs no disposal.</summary>
    private sealed class Window(int limit, DateTimeOffset end)
    {
        public DateTimeOffset End { get; } = end;

        public FixedWindowRateLimiter Permits { get; } = new(new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit,
            Window = TimeSpan.FromDays(1),
            QueueLimit = 0,
            AutoReplenishment = false,
        });
    }
}

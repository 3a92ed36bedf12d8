using System.Collections.Concurrent;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Backside.Core.Identity;

/// <summary>The outcome of one sign-in request against its address's and its account's budgets.</summary>
public readonly record struct SignInThrottleDecision(bool Allowed, TimeSpan RetryAfter)
{
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds));
}

/// <summary>
/// Fixed windows of sign-in permits per client address and per account (the email as typed, normalised, so an
/// unknown email spends a budget exactly as a real one does). Windows start and end by <see cref="TimeProvider"/>,
/// like the per-key limiter; expired windows are swept once the table grows, so minted emails cannot grow it forever.
/// </summary>
public sealed class SignInThrottle(IOptions<SignInRateLimitOptions> options, TimeProvider time)
{
    private const int SweepThreshold = 10_000;
    private readonly ConcurrentDictionary<string, Window> windows = new(StringComparer.Ordinal);

    /// <summary>Spends one permit of the address and, when known, one of the account; refused if either is spent.</summary>
    public SignInThrottleDecision Acquire(IPAddress? address, string? account)
    {
        var limits = options.Value;
        var now = time.GetUtcNow();
        var byAddress = Take($"ip:{address?.ToString() ?? "unknown"}", limits.PermitsPerAddress, limits.Window, now);
        if (!byAddress.Allowed)
            return byAddress;
        if (string.IsNullOrWhiteSpace(account))
            return byAddress;
        return Take($"account:{account.Trim().ToUpperInvariant()}", limits.PermitsPerAccount, limits.Window, now);
    }

    private SignInThrottleDecision Take(string partition, int limit, TimeSpan length, DateTimeOffset now)
    {
        if (windows.Count > SweepThreshold)
            Sweep(now);
        var window = windows.AddOrUpdate(partition,
            static (_, state) => new Window(state.limit, state.now + state.length),
            static (_, current, state) => state.now < current.End ? current : new Window(state.limit, state.now + state.length),
            (limit, length, now));
        using var lease = window.Permits.AttemptAcquire();
        return new SignInThrottleDecision(lease.IsAcquired, lease.IsAcquired ? TimeSpan.Zero : window.End - now);
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (partition, window) in windows)
        {
            if (now >= window.End)
                windows.TryRemove(partition, out _);
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

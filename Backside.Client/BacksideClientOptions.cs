namespace Backside.Client;

/// <summary>How <see cref="BacksideClient"/> treats a 429: how often it waits out <c>Retry-After</c>, and for how long at most.</summary>
public sealed class BacksideClientOptions
{
    /// <summary>Retries of one request after a 429; 0 hands the first 429 to the caller as a typed problem.</summary>
    public int MaxRetries { get; init; } = 2;

    /// <summary>
    /// The longest <c>Retry-After</c> the client waits out. A longer one (a key whose budget is far from refilled) goes to
    /// the caller at once, who can see <c>retry_after</c> on the problem and decide; nothing blocks for minutes unasked.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock the waits run on (tests move a fake one).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetries);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetryAfter, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}

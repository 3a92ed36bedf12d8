namespace Backside.Core.Common;

/// <summary>The outcome of one request against a throttle's budget.</summary>
public readonly record struct ThrottleDecision(bool Allowed, TimeSpan RetryAfter)
{
    public static readonly ThrottleDecision Allow = new(true, TimeSpan.Zero);

    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds));
}

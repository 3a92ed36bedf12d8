namespace Backside.Core.ApiKeys;

/// <summary>Where a key's per-minute limit comes from (<see cref="EffectiveRateLimit"/>).</summary>
public enum RateLimitSource
{
    /// <summary>The key's own <c>rate_limit_per_minute</c>, within its plan's maximum.</summary>
    Key,

    /// <summary>The key sets none: its plan's default.</summary>
    PlanDefault,

    /// <summary>The key's own limit is above its plan's maximum (the plan changed since): the maximum.</summary>
    PlanMaximum,
}

using System.Globalization;

namespace Backside.Core.ApiKeys;

/// <summary>
/// The per-minute limit a key works under: its own, or its plan's default when it sets none, never above its plan's
/// maximum (a key keeps its own number when its organization moves to a smaller plan, and works under the maximum).
/// </summary>
public readonly record struct EffectiveRateLimit(int PerMinute, RateLimitSource Source, string Plan)
{
    public static EffectiveRateLimit Of(int? own, string plan, int planDefault, int planMaximum) => own switch
    {
        { } limit when limit > planMaximum => new(planMaximum, RateLimitSource.PlanMaximum, plan),
        { } limit => new(limit, RateLimitSource.Key, plan),
        null when planDefault > planMaximum => new(planMaximum, RateLimitSource.PlanMaximum, plan),
        null => new(planDefault, RateLimitSource.PlanDefault, plan),
    };

    /// <summary>The limit in a sentence's subject: "This key's limit of 600 requests per minute (the Free plan's default)".</summary>
    public string Describe()
    {
        var perMinute = PerMinute.ToString("N0", CultureInfo.InvariantCulture);
        return Source switch
        {
            RateLimitSource.Key => $"This key's limit of {perMinute} requests per minute",
            RateLimitSource.PlanDefault => $"This key's limit of {perMinute} requests per minute (the {Plan} plan's default)",
            _ => $"The {Plan} plan's maximum of {perMinute} requests per minute",
        };
    }
}

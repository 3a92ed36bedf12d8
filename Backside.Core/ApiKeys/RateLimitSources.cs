namespace Backside.Core.ApiKeys;

/// <summary>The wire names of <see cref="RateLimitSource"/> (the 429 problem's <c>limit_source</c>).</summary>
public static class RateLimitSources
{
    public const string Key = "key";
    public const string PlanDefault = "plan_default";
    public const string PlanMaximum = "plan_maximum";

    public static IReadOnlyList<string> Names { get; } = [Key, PlanDefault, PlanMaximum];

    public static string Name(this RateLimitSource source) => source switch
    {
        RateLimitSource.Key => Key,
        RateLimitSource.PlanDefault => PlanDefault,
        _ => PlanMaximum,
    };
}

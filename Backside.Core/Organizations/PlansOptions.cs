using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Backside.Core.Organizations;

/// <summary>
/// The account tiers by name, bound from the <c>Plans</c> section. <see cref="PlanOptions.DefaultPlanName"/> always
/// exists (with its defaults when configuration does not name it), because every new organization gets it.
/// </summary>
public sealed partial class PlansOptions : Dictionary<string, PlanOptions>
{
    public const string SectionName = "Plans";
    public const int MaxPlanNameLength = 32;

    public PlansOptions() : base(StringComparer.Ordinal) { }

    /// <summary>The organization's plan; an organization whose plan was removed from configuration falls back to the default.</summary>
    public PlanOptions For(string plan) =>
        TryGetValue(plan, out var options) ? options : this[PlanOptions.DefaultPlanName];

    /// <summary>The plan that applies to an organization on <paramref name="plan"/>, named as it applies (the default when the name is gone).</summary>
    public OrganizationPlan Resolve(string plan) =>
        TryGetValue(plan, out var options) ? new(plan, options) : new(PlanOptions.DefaultPlanName, this[PlanOptions.DefaultPlanName]);

    public static bool IsValidName(string name) => name.Length <= MaxPlanNameLength && NameShape().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*$")]
    private static partial Regex NameShape();

    /// <summary>Adds the default plan when configuration leaves it out.</summary>
    internal sealed class AddDefaultPlan : IPostConfigureOptions<PlansOptions>
    {
        public void PostConfigure(string? name, PlansOptions options) =>
            options.TryAdd(PlanOptions.DefaultPlanName, new PlanOptions());
    }

    /// <summary>Refuses to start on a plan that cannot be applied: a bad name, a value out of range, a default above the maximum.</summary>
    internal sealed class PlansValidator : IValidateOptions<PlansOptions>
    {
        public ValidateOptionsResult Validate(string? name, PlansOptions options)
        {
            var failures = new List<string>();
            foreach (var (plan, values) in options)
            {
                if (!IsValidName(plan))
                    failures.Add($"Plans:{plan}: a plan's name is letters, digits, '-' and '_', at most {MaxPlanNameLength} characters.");
                var results = new List<ValidationResult>();
                if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(values, new ValidationContext(values), results, validateAllProperties: true))
                    failures.AddRange(results.Select(r => $"Plans:{plan}: {r.ErrorMessage}"));
                if (values.DefaultRateLimitPerMinute > values.MaxRateLimitPerMinute)
                    failures.Add($"Plans:{plan}: DefaultRateLimitPerMinute must not exceed MaxRateLimitPerMinute.");
            }
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}

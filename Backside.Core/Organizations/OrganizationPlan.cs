namespace Backside.Core.Organizations;

/// <summary>An organization's plan as it applies now: its name and its limits (<see cref="PlansOptions.Resolve"/>).</summary>
public sealed record OrganizationPlan(string Name, PlanOptions Limits);

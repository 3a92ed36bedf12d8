using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Backside.Core.Common;
using Backside.Core.Organizations;

namespace Backside.Web.Api;

public sealed record CreateOrganizationRequest(
    [property: Required, StringLength(Organization.MaxNameLength, MinimumLength = 1), Description("The team organization's name.")]
    string? Name = null);

/// <summary>PATCH body: send only the fields to change. The plan is not here: platform operators change it.</summary>
public sealed record UpdateOrganizationRequest
{
    [StringLength(Organization.MaxNameLength, MinimumLength = 1), Description("Absent: unchanged. A value: the new name (trimmed). An organization always has a name, so null is refused.")]
    public Optional<string> Name { get; init; }

    [Range(1, Organization.MaxPolicyDays), Description("Absent: unchanged. null: no limit. A number of days: live keys must expire within it, and keys without an expiry are refused.")]
    public Optional<int?> MaxLiveKeyLifetimeDays { get; init; }

    [Range(1, Organization.MaxPolicyDays), Description("Absent: unchanged. A number of days: a secret older than this carries a rotation reminder.")]
    public Optional<int> RotationReminderDays { get; init; }

    [Description("Absent: unchanged. true: members must have two-factor sign-in turned on to create or change keys.")]
    public Optional<bool> RequireTwoFactorForKeys { get; init; }

    public UpdateOrganizationCommand ToCommand() => new()
    {
        // The wire type says a name is never null; a null sent anyway still reaches Core's "name is required".
        Name = Name.HasValue ? new Optional<string?>(true, Name.Value) : default,
        MaxLiveKeyLifetimeDays = MaxLiveKeyLifetimeDays,
        RotationReminderDays = RotationReminderDays,
        RequireTwoFactorForKeys = RequireTwoFactorForKeys,
    };
}

/// <summary>The organization's plan (account tier) and the limits it sets.</summary>
public sealed record PlanResponse(
    [property: Description("The plan's name, such as `Free`.")] string Name,
    [property: Description("Requests per minute for a key that sets no limit of its own.")] int DefaultRateLimitPerMinute,
    [property: Description("The highest limit a key may set.")] int MaxRateLimitPerMinute,
    [property: Description("How many keys may be active (not revoked) at once.")] int MaxActiveKeys,
    [property: Description("How many days of usage history are kept.")] int UsageHistoryDays);

/// <summary>How keys must be made in the organization.</summary>
public sealed record KeyPoliciesResponse(
    [property: Description("Live keys must expire within this many days; null: no limit.")] int? MaxLiveKeyLifetimeDays,
    [property: Description("A secret older than this many days carries a rotation reminder.")] int RotationReminderDays,
    [property: Description("Members need two-factor sign-in to create or change keys.")] bool RequireTwoFactorForKeys);

public sealed record OrganizationResponse(
    [property: Description("The organization's id (`org_…`).")] string Id,
    string Name,
    [property: Description("`personal` (made with an account), `team` (made to share), or `wallet` (made by an x402 payer).")] OrganizationKind Kind,
    PlanResponse Plan,
    KeyPoliciesResponse Policies,
    DateTimeOffset CreatedAt,
    [property: AllowedValues("owner", "admin", "developer", "viewer"), Description("The caller's role in it; null for an API key, which has none.")]
    string? Role)
{
    [JsonPropertyOrder(-1)]
    public string Object => "organization";

    public static OrganizationResponse From(OrganizationDetails details)
    {
        var (organization, plan, role) = details;
        return new(organization.Id, organization.Name, organization.Kind,
            new PlanResponse(organization.Plan, plan.DefaultRateLimitPerMinute, plan.MaxRateLimitPerMinute, plan.MaxActiveKeys, plan.UsageHistoryDays),
            new KeyPoliciesResponse(organization.MaxLiveKeyLifetimeDays, organization.RotationReminderDays, organization.RequireTwoFactorForKeys),
            organization.CreatedAt, role?.Name());
    }
}

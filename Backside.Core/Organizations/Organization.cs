using Backside.Core.Common;

namespace Backside.Core.Organizations;

/// <summary>The tenant: every key, contact and event belongs to exactly one organization.</summary>
public sealed class Organization : IHasEntityId
{
    public const int MaxNameLength = 100;

    public required string Id { get; init; }
    public required string Name { get; set; }
    public OrganizationKind Kind { get; init; }

    /// <summary>The payer's address (EIP-55) for a <see cref="OrganizationKind.Wallet"/> organization; unique.</summary>
    public string? WalletAddress { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public List<OrganizationMember> Members { get; init; } = [];

    /// <summary>The account tier, a name under <c>Plans</c> in configuration; platform operators change it.</summary>
    public string Plan { get; set; } = PlanOptions.DefaultPlanName;

    /// <summary>Key policy: live keys must expire within this many days (and so must have an expiry); null for no limit.</summary>
    public int? MaxLiveKeyLifetimeDays { get; set; }

    /// <summary>Key policy: a secret older than this many days carries a "rotate me" reminder.</summary>
    public int RotationReminderDays { get; set; } = DefaultRotationReminderDays;

    /// <summary>Key policy: members must have two-factor sign-in turned on to create or change keys.</summary>
    public bool RequireTwoFactorForKeys { get; set; }

    public const int DefaultRotationReminderDays = 90;
    public const int MaxPolicyDays = 3650;
}

using Backside.Core.Common;

namespace Backside.Core.Organizations;

/// <summary>The tenant: every key, contact and event belongs to exactly one organization.</summary>
public sealed class Organization : IHasEntityId
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public OrganizationKind Kind { get; init; }

    /// <summary>The payer's address (EIP-55) for a <see cref="OrganizationKind.Wallet"/> organization; unique.</summary>
    public string? WalletAddress { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public List<OrganizationMember> Members { get; init; } = [];
}

namespace Backside.Core.Organizations;

public enum OrganizationKind
{
    /// <summary>Created for a person when they register; they are its Owner.</summary>
    Personal,
    Team,

    /// <summary>Created for a wallet by its first settled x402 payment; it has no members, only its payer.</summary>
    Wallet,
}

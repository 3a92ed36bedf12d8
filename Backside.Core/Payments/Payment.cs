namespace Backside.Core.Payments;

/// <summary>One settled x402 payment: who paid how much, where, for which request, and the transaction.</summary>
public sealed class Payment
{
    public required string Id { get; init; }
    public required string OrganizationId { get; init; }
    /// <summary>The payer's address, EIP-55.</summary>
    public required string Payer { get; init; }
    /// <summary>USDC atomic units (6 decimals): 10000 is $0.01.</summary>
    public long Amount { get; init; }
    /// <summary>CAIP-2 id, e.g. <c>eip155:8453</c>.</summary>
    public required string Network { get; init; }
    public int X402Version { get; init; }
    public required string Method { get; init; }
    public required string Route { get; init; }
    /// <summary>The authorization's bytes32 nonce, lower-case hex.</summary>
    public required string Nonce { get; init; }
    public required string TransactionHash { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

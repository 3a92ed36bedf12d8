namespace Backside.Core.Payments.Evm;

/// <summary>The EIP-712 domain of a token contract, e.g. USDC's <c>("USD Coin", "2", 8453, 0x8335…)</c>.</summary>
public sealed record Eip712Domain(string Name, string Version, long ChainId, string VerifyingContract);

namespace Backside.Core.Payments;

/// <summary>A chain Backside takes USDC on, with the token's EIP-712 domain (docs/x402.md#networks-and-typed-data).</summary>
public sealed record X402Network(string V1Name, string V2Id, long ChainId, string Asset, string TokenName, string TokenVersion)
{
    public static X402Network Base { get; } =
        new("base", "eip155:8453", 8453, "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", "USD Coin", "2");

    public static X402Network BaseSepolia { get; } =
        new("base-sepolia", "eip155:84532", 84532, "0x036CbD53842c5426634e7929541eC2318f3dCF7e", "USDC", "2");

    public static IReadOnlyList<X402Network> All { get; } = [Base, BaseSepolia];

    /// <summary>By its v1 name (<c>base</c>) or its v2 CAIP-2 id (<c>eip155:8453</c>).</summary>
    public static X402Network? Find(string name) =>
        All.FirstOrDefault(n => n.V1Name == name || n.V2Id == name);
}

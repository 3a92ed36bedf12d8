using System.Numerics;
using System.Text.Json.Nodes;
using Backside.Core.Payments.Evm;

namespace Backside.Core.Payments;

/// <summary>A payment that passed every check: who pays, under which offer, and the key that makes it single-use.</summary>
public sealed record VerifiedPayment(
    int Version, string Payer, JsonObject Offer, JsonObject Payload, TransferAuthorization Authorization, X402Network Network)
{
    /// <summary><c>chainId:asset:from:nonce</c> in lower-case hex: the same authorization on either version is one payment.</summary>
    public string ReplayKey =>
        $"{Network.ChainId}:{Network.Asset.ToLowerInvariant()}:{Authorization.From.ToLowerInvariant()}:{Convert.ToHexStringLower(Authorization.Nonce)}";

    /// <summary>The price in USDC atomic units (what the authorization transfers).</summary>
    public BigInteger Amount => Authorization.Value;
}

using System.Numerics;

namespace Backside.Core.Payments.Evm;

/// <summary>An EIP-3009 <c>transferWithAuthorization</c> as the payer signed it.</summary>
public sealed record TransferAuthorization(
    string From, string To, BigInteger Value, BigInteger ValidAfter, BigInteger ValidBefore, byte[] Nonce);

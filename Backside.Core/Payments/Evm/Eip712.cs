using System.Numerics;

namespace Backside.Core.Payments.Evm;

/// <summary>EIP-712 typed-data hashing for <see cref="TransferAuthorization"/>.</summary>
public static class Eip712
{
    public static byte[] DomainTypeHash { get; } =
        Keccak256.Hash("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");

    public static byte[] TransferTypeHash { get; } =
        Keccak256.Hash("TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)");

    public static byte[] DomainSeparator(Eip712Domain domain) => Keccak256.Hash(Concat(
        DomainTypeHash,
        Keccak256.Hash(domain.Name),
        Keccak256.Hash(domain.Version),
        Uint256(domain.ChainId),
        Address(domain.VerifyingContract)));

    public static byte[] HashStruct(TransferAuthorization authorization) => Keccak256.Hash(Concat(
        TransferTypeHash,
        Address(authorization.From),
        Address(authorization.To),
        Uint256(authorization.Value),
        Uint256(authorization.ValidAfter),
        Uint256(authorization.ValidBefore),
        authorization.Nonce));

    /// <summary><c>keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ hashStruct(message))</c>: what the payer signed.</summary>
    public static byte[] Digest(Eip712Domain domain, TransferAuthorization authorization) =>
        Keccak256.Hash(Concat([0x19, 0x01], DomainSeparator(domain), HashStruct(authorization)));

    /// <summary>32-byte big-endian; the caller keeps values within 0 … 2^256−1.</summary>
    private static byte[] Uint256(BigInteger value)
    {
        var word = new byte[32];
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        bytes.CopyTo(word, 32 - bytes.Length);
        return word;
    }

    private static byte[] Address(string address)
    {
        var word = new byte[32];
        EvmAddress.ToBytes(address).CopyTo(word, 12);
        return word;
    }

    private static byte[] Concat(params byte[][] parts)
    {
        var result = new byte[parts.Sum(p => p.Length)];
        var offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(result, offset);
            offset += part.Length;
        }
        return result;
    }
}

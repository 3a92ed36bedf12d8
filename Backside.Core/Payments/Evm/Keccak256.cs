using Org.BouncyCastle.Crypto.Digests;

namespace Backside.Core.Payments.Evm;

/// <summary>Ethereum's Keccak-256: the original Keccak padding, not FIPS SHA3-256.</summary>
public static class Keccak256
{
    public const int Size = 32;

    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var digest = new KeccakDigest(256);
        digest.BlockUpdate(data);
        var hash = new byte[Size];
        digest.DoFinal(hash);
        return hash;
    }

    public static byte[] Hash(string utf8) => Hash(System.Text.Encoding.UTF8.GetBytes(utf8));
}

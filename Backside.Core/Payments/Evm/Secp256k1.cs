using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;

namespace Backside.Core.Payments.Evm;

/// <summary>Recovers the Ethereum address that produced an ECDSA signature over a 32-byte digest.</summary>
public static class Secp256k1
{
    private static readonly X9ECParameters Curve = CustomNamedCurves.GetByName("secp256k1");

    /// <summary>The group order n.</summary>
    public static BigInteger Order { get; } = Curve.N;

    /// <summary>n/2: a larger <c>s</c> is the malleable twin of a valid signature.</summary>
    public static BigInteger HalfOrder { get; } = Curve.N.ShiftRight(1);

    /// <summary>
    /// Q = r⁻¹·(s·R − e·G), where R is the curve point with x = r and the parity <paramref name="yIsOdd"/> names.
    /// Null when no such point exists. The caller has checked 1 ≤ r, s &lt; n.
    /// </summary>
    public static byte[]? RecoverAddress(ReadOnlySpan<byte> digest, BigInteger r, BigInteger s, bool yIsOdd)
    {
        var compressed = new byte[33];
        compressed[0] = yIsOdd ? (byte)0x03 : (byte)0x02;
        var x = r.ToByteArrayUnsigned();
        x.CopyTo(compressed.AsSpan(33 - x.Length));
        ECPoint point;
        try
        {
            point = Curve.Curve.DecodePoint(compressed);
        }
        catch (ArgumentException)
        {
            return null; // r is not the x-coordinate of any point on the curve
        }

        var e = new BigInteger(1, digest.ToArray());
        var rInverse = r.ModInverse(Order);
        var u1 = e.Negate().Multiply(rInverse).Mod(Order);
        var u2 = s.Multiply(rInverse).Mod(Order);
        var q = ECAlgorithms.SumOfTwoMultiplies(Curve.G, u1, point, u2).Normalize();
        if (q.IsInfinity)
            return null;
        var publicKey = q.GetEncoded(compressed: false);
        return Keccak256.Hash(publicKey.AsSpan(1))[12..];
    }
}

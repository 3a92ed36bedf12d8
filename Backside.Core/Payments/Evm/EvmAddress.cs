namespace Backside.Core.Payments.Evm;

/// <summary>20-byte Ethereum addresses: shape checks, bytes, and the EIP-55 mixed-case checksum form.</summary>
public static class EvmAddress
{
    public const int Size = 20;

    /// <summary><c>0x</c> followed by exactly 40 hex digits, in any case.</summary>
    public static bool HasShape(string value) => HexString.HasShape(value, Size * 2);

    public static byte[] ToBytes(string address) => Convert.FromHexString(address.AsSpan(2));

    public static bool AreEqual(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>EIP-55: upper-case each letter whose nibble in keccak256(lower-case hex) is 8 or more.</summary>
    public static string ToChecksum(ReadOnlySpan<byte> address)
    {
        var lower = Convert.ToHexStringLower(address);
        var hash = Keccak256.Hash(System.Text.Encoding.ASCII.GetBytes(lower));
        var result = new char[2 + lower.Length];
        result[0] = '0';
        result[1] = 'x';
        for (var i = 0; i < lower.Length; i++)
        {
            var nibble = i % 2 == 0 ? hash[i / 2] >> 4 : hash[i / 2] & 0x0F;
            result[2 + i] = nibble >= 8 ? char.ToUpperInvariant(lower[i]) : lower[i];
        }
        return new string(result);
    }
}

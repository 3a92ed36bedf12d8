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

/// <summary><c>0x</c>-prefixed hex strings as Ethereum writes them.</summary>
public static class HexString
{
    /// <summary><c>0x</c> and then exactly <paramref name="digits"/> hex digits (any even count when null).</summary>
    public static bool HasShape(string value, int? digits = null)
    {
        if (value.Length < 2 || value[0] != '0' || value[1] != 'x')
            return false;
        var hex = value.AsSpan(2);
        if (digits is { } expected ? hex.Length != expected : hex.Length % 2 != 0)
            return false;
        foreach (var c in hex)
        {
            if (!char.IsAsciiHexDigit(c))
                return false;
        }
        return true;
    }
}

namespace Backside.Core.Payments.Evm;

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

using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Backside.Core.Common;

/// <summary>
/// Public identifiers such as <c>key_0193…</c>: a type prefix plus a version-7 UUID (RFC 9562) in hex. The UUID starts
/// with the creation time in milliseconds, followed by a counter that keeps ids made in the same millisecond in order,
/// so ordering by id is ordering by creation; cursor paging relies on it.
/// </summary>
public static class EntityId
{
    public const string UserPrefix = "usr";
    public const string OrganizationPrefix = "org";
    public const string ApiKeyPrefix = "key";
    public const string ContactPrefix = "con";
    public const string AuditEventPrefix = "evt";
    public const string RefreshTokenPrefix = "rtk";
    public const string PaymentPrefix = "pay";

    private static readonly UuidV7Generator Shared = new();

    public static string New(string prefix, TimeProvider? time = null) =>
        $"{prefix}_{Shared.Next((time ?? TimeProvider.System).GetUtcNow()):x32}";

    /// <summary>Whether <paramref name="value"/> could be an id of this type; lets handlers answer 404 without a query.</summary>
    public static bool HasShape(string? value, string prefix) =>
        value is not null
        && value.Length == prefix.Length + 33
        && value.StartsWith(prefix, StringComparison.Ordinal)
        && value[prefix.Length] == '_'
        && value.AsSpan(prefix.Length + 1).ContainsAnyExcept("0123456789abcdef") is false;
}

/// <summary>
/// RFC 9562 §6.2 method 1: 48-bit milliseconds, version, 12-bit counter, variant, 62 random bits. Never goes back:
/// a clock that steps backwards, or a millisecond whose counter is spent, borrows the next millisecond.
/// </summary>
internal sealed class UuidV7Generator
{
    private readonly Lock gate = new();
    private long lastMilliseconds;
    private int counter;

    public UInt128 Next(DateTimeOffset now)
    {
        long milliseconds;
        int sequence;
        lock (gate)
        {
            milliseconds = Math.Max(now.ToUnixTimeMilliseconds(), lastMilliseconds);
            if (milliseconds == lastMilliseconds && counter < 0xFFF)
            {
                sequence = ++counter;
            }
            else
            {
                if (milliseconds == lastMilliseconds)
                    milliseconds++;
                // Start each millisecond's counter low and random, leaving room to count up.
                sequence = counter = RandomNumberGenerator.GetInt32(0x800);
            }
            lastMilliseconds = milliseconds;
        }

        Span<byte> random = stackalloc byte[8];
        RandomNumberGenerator.Fill(random);
        var high = ((ulong)milliseconds << 16) | 0x7000UL | (uint)sequence;
        var low = (BinaryPrimitives.ReadUInt64BigEndian(random) & 0x3FFF_FFFF_FFFF_FFFFUL) | 0x8000_0000_0000_0000UL;
        return new UInt128(high, low);
    }
}

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

    private static readonly Lock Gate = new();
    private static long lastMilliseconds;
    private static int counter;

    public static string New(string prefix, TimeProvider? time = null) =>
        $"{prefix}_{NextUuidV7((time ?? TimeProvider.System).GetUtcNow()):x32}";

    /// <summary>Whether <paramref name="value"/> could be an id of this type; lets handlers answer 404 without a query.</summary>
    public static bool HasShape(string? value, string prefix) =>
        value is not null
        && value.Length == prefix.Length + 33
        && value.StartsWith(prefix, StringComparison.Ordinal)
        && value[prefix.Length] == '_'
        && value.AsSpan(prefix.Length + 1).ContainsAnyExcept("0123456789abcdef") is false;

    /// <summary>RFC 9562 §6.2 method 1: 48-bit milliseconds, version, 12-bit counter, variant, 62 random bits.</summary>
    private static UInt128 NextUuidV7(DateTimeOffset now)
    {
        long milliseconds;
        int sequence;
        lock (Gate)
        {
            milliseconds = Math.Max(now.ToUnixTimeMilliseconds(), lastMilliseconds);
            if (milliseconds == lastMilliseconds && counter < 0xFFF)
            {
                sequence = ++counter;
            }
            else
            {
                // A new millisecond (or a spent counter, which borrows the next one) starts the counter low and
                // random, leaving room to count up.
                if (milliseconds == lastMilliseconds)
                    milliseconds++;
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

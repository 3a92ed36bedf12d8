using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Backside.Core.Common;

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

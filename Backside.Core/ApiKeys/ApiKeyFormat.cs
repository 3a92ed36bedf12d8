using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Digests;

namespace Backside.Core.ApiKeys;

/// <summary>
/// The key format of docs/design.md#key-format: <c>bsk_live_</c> or <c>bsk_test_</c>, 37 random base62 characters, then 6 base62
/// characters of the CRC32 of everything before them. 52 characters in all. The checksum lets us reject typos and
/// garbage without any I/O; it is not a secret and proves nothing about authenticity.
/// </summary>
public static class ApiKeyFormat
{
    public const string LivePrefix = "bsk_live_";
    public const string TestPrefix = "bsk_test_";
    public const int PrefixLength = 9;
    public const int RandomLength = 37;
    public const int ChecksumLength = 6;
    public const int Length = PrefixLength + RandomLength + ChecksumLength;

    /// <summary>How many characters of the key the display hint shows at the start (prefix + 4).</summary>
    private const int HintHeadLength = PrefixLength + 4;
    private const int HintTailLength = 4;
    private const int BodyLength = PrefixLength + RandomLength;

    public const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>A new key from the operating system's CSPRNG (uniform over the alphabet, no modulo bias).</summary>
    public static string Generate(bool livemode)
    {
        var body = (livemode ? LivePrefix : TestPrefix) + RandomNumberGenerator.GetString(Alphabet, RandomLength);
        return body + Checksum(body);
    }

    /// <summary>
    /// Whether <paramref name="candidate"/> has the right length, prefix, alphabet and checksum. Pure CPU work:
    /// callers reject a <c>false</c> without touching the database or the cache.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> candidate, out bool livemode)
    {
        livemode = false;
        if (candidate.Length != Length)
            return false;

        if (candidate.StartsWith(LivePrefix, StringComparison.Ordinal))
            livemode = true;
        else if (!candidate.StartsWith(TestPrefix, StringComparison.Ordinal))
            return false;

        var rest = candidate[PrefixLength..];
        if (rest.ContainsAnyExcept(AlphabetValues))
            return false;

        Span<char> expected = stackalloc char[ChecksumLength];
        WriteChecksum(candidate[..BodyLength], expected);
        return expected.SequenceEqual(candidate[BodyLength..]);
    }

    /// <summary>SHA-256 of the whole key: what we store and look up. Keys have ~220 bits of entropy, so no salt is needed.</summary>
    /// <remarks>
    /// Every keyed request hashes its key, so this is on the hot path. BouncyCastle's managed digest hashes a key in
    /// about 300 ns here; the platform's one-shot <c>SHA256.HashData</c> goes through OpenSSL and costs about 750 ns for
    /// the same 52 bytes, almost all of it call overhead (context allocation, error-queue clearing). Same SHA-256, same
    /// bytes out (tested against the platform's).
    /// </remarks>
    public static byte[] Hash(ReadOnlySpan<char> key)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(key.Length, Length);
        Span<byte> ascii = stackalloc byte[Length];
        Encoding.ASCII.GetBytes(key, ascii);
        var hash = new byte[HashLength];
        // One digest per thread: a call never yields, so no two callers share it at once, and DoFinal resets it.
        // Nothing between BlockUpdate and DoFinal can throw, so it is never left holding half a key.
        var digest = sha256 ??= new Sha256Digest();
        digest.BlockUpdate(ascii);
        digest.DoFinal(hash);
        return hash;
    }

    /// <summary>Bytes in a key hash (SHA-256).</summary>
    public const int HashLength = 32;

    [ThreadStatic]
    private static Sha256Digest? sha256;

    /// <summary>What the dashboard shows in place of the key: <c>bsk_live_a1B2…x9Yz</c>.</summary>
    public static string Hint(string key) => $"{key[..HintHeadLength]}…{key[^HintTailLength..]}";

    internal static string Checksum(ReadOnlySpan<char> body)
    {
        Span<char> checksum = stackalloc char[ChecksumLength];
        WriteChecksum(body, checksum);
        return new string(checksum);
    }

    private static readonly System.Buffers.SearchValues<char> AlphabetValues = System.Buffers.SearchValues.Create(Alphabet);

    /// <summary>CRC32 (IEEE) of the ASCII body, as 6 base62 digits, most significant first; 62^6 &gt; 2^32, so it always fits.</summary>
    private static void WriteChecksum(ReadOnlySpan<char> body, Span<char> destination)
    {
        Span<byte> ascii = stackalloc byte[body.Length];
        Encoding.ASCII.GetBytes(body, ascii);
        var value = Crc32.HashToUInt32(ascii);
        for (var i = ChecksumLength - 1; i >= 0; i--)
        {
            destination[i] = Alphabet[(int)(value % 62)];
            value /= 62;
        }
    }
}

using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Backside.Core.Organizations;

/// <summary>
/// The secret in an invitation link: 32 bytes from a CSPRNG as URL-safe base64 (43 characters, no padding). Only its
/// SHA-256 is stored (<see cref="Invitation.TokenHash"/>); the raw token goes into the one mail that carries the link.
/// </summary>
public static class InvitationToken
{
    public const int ByteLength = 32;

    /// <summary>43: base64url of 32 bytes without padding.</summary>
    public const int Length = 43;

    public static string Generate() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(ByteLength));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.ASCII.GetBytes(token));

    /// <summary>
    /// The hash to look a presented token up by, or null when it cannot be one of ours (wrong length or alphabet), so a
    /// made-up value costs no query.
    /// </summary>
    public static byte[]? HashOfCandidate(string? candidate)
    {
        if (candidate is null || candidate.Length != Length || !Base64Url.IsValid(candidate, out var decodedLength) || decodedLength != ByteLength)
            return null;
        return Hash(candidate);
    }
}

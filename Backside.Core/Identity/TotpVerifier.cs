using OtpNet;

namespace Backside.Core.Identity;

/// <summary>
/// RFC 6238 codes: 6 digits, 30-second steps, the step before and after accepted for clock drift. A code is
/// accepted only for a time step later than the last one accepted, so a code seen once cannot be replayed.
/// </summary>
public static class TotpVerifier
{
    public const int Digits = 6;
    public const int StepSeconds = 30;
    private static readonly VerificationWindow Drift = new(previous: 1, future: 1);

    /// <returns>The time step the code matched, or null when it does not match or was already used.</returns>
    public static long? Verify(string base32Secret, string? code, DateTimeOffset now, long? lastAcceptedStep)
    {
        var normalized = code?.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (normalized is not { Length: Digits } || !normalized.All(char.IsAsciiDigit))
            return null;
        byte[] secret;
        try
        {
            secret = Base32Encoding.ToBytes(base32Secret);
        }
        catch (ArgumentException)
        {
            return null;
        }

        var totp = new Totp(secret, StepSeconds, OtpHashMode.Sha1, Digits);
        if (!totp.VerifyTotp(now.UtcDateTime, normalized, out var step, Drift))
            return null;
        return step > (lastAcceptedStep ?? long.MinValue) ? step : null;
    }

    /// <summary>The code an authenticator app shows at <paramref name="at"/>; for tests and diagnostics.</summary>
    public static string Compute(string base32Secret, DateTimeOffset at) =>
        new Totp(Base32Encoding.ToBytes(base32Secret), StepSeconds, OtpHashMode.Sha1, Digits).ComputeTotp(at.UtcDateTime);
}

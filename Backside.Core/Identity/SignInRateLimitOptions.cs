using System.ComponentModel.DataAnnotations;

namespace Backside.Core.Identity;

/// <summary>How many sign-in requests (password, second factor, refresh, registration, password reset) a client address and an account may make per window.</summary>
public sealed class SignInRateLimitOptions
{
    public const string SectionName = "SignIn:RateLimits";

    [Range(1, 1_000_000)]
    public int PermitsPerAddress { get; set; } = 30;

    [Range(1, 1_000_000)]
    public int PermitsPerAccount { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

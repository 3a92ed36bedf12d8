using System.ComponentModel.DataAnnotations;

namespace Backside.Core.Identity;

/// <summary>How long a failed API sign-in takes at least, bound from <c>SignIn:Timing</c>.</summary>
public sealed class SignInTimingOptions
{
    public const string SectionName = "SignIn:Timing";

    /// <summary>
    /// A real account's failure writes its failure count and an unknown email's does not, so left alone the two
    /// differ by a database write. Every failure is answered no sooner than this after it began, which hides that
    /// difference as long as both finish within it (the default is several times what either takes here).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05")]
    public TimeSpan FailureFloor { get; set; } = TimeSpan.FromMilliseconds(250);
}

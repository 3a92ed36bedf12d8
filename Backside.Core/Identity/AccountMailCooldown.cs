using System.Security.Cryptography;
using System.Text;
using Backside.Core.Common;

namespace Backside.Core.Identity;

/// <summary>
/// At most one account mail a requester can trigger (a confirmation link, a notice that someone tried to register)
/// per recipient per <see cref="Interval"/>: a flood of requests for one address sends it one mail, and cannot fill
/// the outbox that every other mail waits in. Kept in the shared, size-bounded <see cref="FixedWindowThrottle"/>.
/// </summary>
public sealed class AccountMailCooldown(FixedWindowThrottle throttle)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    /// <summary>Whether a mail to this address may go now; when it may, the next one waits for the interval.</summary>
    public bool TryStart(string email) => throttle.Acquire(Partition(email), 1, Interval).Allowed;

    // A hash of the normalised address: the table holds no addresses.
    private static string Partition(string email) =>
        "account-mail:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToUpperInvariant())));
}

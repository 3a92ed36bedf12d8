using System.Net;
using Backside.Core.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Backside.Core.Identity;

/// <summary>
/// Sign-in permits per client address and per account (the email as typed, normalised, so an unknown email spends a
/// budget exactly as a real one does).
/// </summary>
public sealed class SignInThrottle(IOptions<SignInRateLimitOptions> options, FixedWindowThrottle throttle)
{
    /// <summary>Spends one permit of the address and, when known, one of the account; refused if either is spent.</summary>
    public ThrottleDecision Acquire(IPAddress? address, string? account)
    {
        var limits = options.Value;
        var byAddress = throttle.Acquire($"sign-in:{FixedWindowThrottle.AddressPartition(address)}", limits.PermitsPerAddress, limits.Window);
        if (!byAddress.Allowed || string.IsNullOrWhiteSpace(account))
            return byAddress;
        return throttle.Acquire(AccountPartition(account), limits.PermitsPerAccount, limits.Window);
    }

    /// <summary>The email as Identity looks it up, hashed: no spelling of one account gets a second budget.</summary>
    private static string AccountPartition(string account) => "sign-in-account:" + EmailRules.Key(account);
}

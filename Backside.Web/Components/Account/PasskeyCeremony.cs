using Backside.Core.Identity;
using Microsoft.AspNetCore.Identity;

namespace Backside.Web.Components.Account;

/// <summary>
/// The second half of a WebAuthn ceremony: the browser's credential checked against the challenge the options
/// endpoint left in a short-lived cookie. Identity throws when no ceremony is under way (a credential posted without
/// asking for options first, or the cookie expired or already spent); that is bad input, so it fails as a wrong
/// credential does instead of answering 500.
/// </summary>
public static class PasskeyCeremony
{
    /// <summary>
    /// The most a credential's JSON may hold here. A real one is a few hundred bytes to a few kilobytes (an attestation
    /// with a certificate chain); anything larger is refused before it is parsed.
    /// </summary>
    public const int MaxCredentialLength = 16 * 1024;

    /// <summary>Signs in with the passkey; a credential that does not verify is <see cref="SignInResult.Failed"/>.</summary>
    public static async Task<SignInResult> SignInAsync(SignInManager<ApplicationUser> signInManager, string credentialJson)
    {
        if (credentialJson.Length > MaxCredentialLength)
            return SignInResult.Failed;
        try
        {
            return await signInManager.PasskeySignInAsync(credentialJson);
        }
        catch (InvalidOperationException)
        {
            return SignInResult.Failed;
        }
    }

    /// <summary>Verifies a new passkey for the signed-in person; the failure's message is safe to show them.</summary>
    public static async Task<PasskeyAttestationResult> AttestAsync(SignInManager<ApplicationUser> signInManager, string credentialJson)
    {
        if (credentialJson.Length > MaxCredentialLength)
            return PasskeyAttestationResult.Fail(new PasskeyException("The passkey is too large."));
        try
        {
            return await signInManager.PerformPasskeyAttestationAsync(credentialJson);
        }
        catch (InvalidOperationException)
        {
            return PasskeyAttestationResult.Fail(new PasskeyException("The request to add a passkey expired. Please try again."));
        }
    }
}

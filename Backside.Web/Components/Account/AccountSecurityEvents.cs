using Backside.Core.Audit;
using Backside.Core.Identity;
using Backside.Web.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Backside.Web.Components.Account;

/// <summary>
/// The account pages' side of <see cref="SecurityEvents"/>: which sign-in outcomes and account changes become events in
/// the person's personal organization. An attempt on an account already locked out checks nothing and records nothing,
/// and the pages record nothing for an email without an account, so an anonymous flood adds at most the lockout
/// threshold of failures per account per lockout period.
/// </summary>
public sealed class AccountSecurityEvents(SecurityEvents events, UserManager<ApplicationUser> users)
{
    public const string Password = "password";
    public const string Authenticator = "authenticator";
    public const string RecoveryCode = "recovery_code";

    /// <summary>
    /// Runs one sign-in step for <paramref name="user"/> and records it: a success as <c>account.signed_in</c> by
    /// <paramref name="method"/>, a wrong secret as <c>account.sign_in_failed</c> for <paramref name="failureReason"/>.
    /// The password step of a two-factor account, and an unconfirmed account, record nothing.
    /// </summary>
    public async Task<SignInResult> AttemptAsync(
        HttpContext http, ApplicationUser user, string method, string failureReason, Func<Task<SignInResult>> signIn)
    {
        var lockedBefore = await users.IsLockedOutAsync(user);
        var result = await signIn();
        if (lockedBefore || result.RequiresTwoFactor || result.IsNotAllowed)
            return result;
        var changes = new ChangeSet().Note("via", SecurityEvents.ViaDashboard);
        if (result.Succeeded)
            await events.RecordAsync(user.Id, AuditActions.SignedIn, CallerIdentity.ClientOf(http), changes.Note("method", method), http.RequestAborted);
        else
            await events.RecordAsync(user.Id, AuditActions.SignInFailed, CallerIdentity.ClientOf(http),
                changes.Note("reason", failureReason).Note("locked_out", result.IsLockedOut), http.RequestAborted);
        return result;
    }

    /// <summary>Records a change to the signed-in person's account (two-factor, recovery codes, password).</summary>
    public Task RecordAsync(HttpContext http, ApplicationUser user, string action, ChangeSet? changes = null) =>
        events.RecordAsync(user.Id, action, CallerIdentity.ClientOf(http), changes, http.RequestAborted);
}

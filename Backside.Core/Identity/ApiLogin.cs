using System.Diagnostics;
using Backside.Core.Audit;
using Backside.Core.Organizations;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Backside.Core.Identity;

/// <summary>
/// Password (and second factor) sign-in for API sessions, with the dashboard's rules: lockout after five failures of
/// either kind, the same answer whether or not the email exists, and a recovery code wherever a code is asked for.
/// </summary>
public sealed class ApiLogin(
    UserManager<ApplicationUser> users, OrganizationService organizations, UnknownAccountLockouts unknownLockouts,
    IOptions<SignInTimingOptions> timing, SecurityEvents securityEvents, TimeProvider time)
{
    private const string BadCredentials = "The email or password is wrong.";

    /// <summary>
    /// Signs in and picks the organization the session acts in: <paramref name="organizationId"/> when the person
    /// belongs to it (a failure naming the field when not, only once the credentials were right), else
    /// <see cref="ActiveOrganization.DefaultMembershipAsync"/>. A sign-in, and a wrong password or code for a real
    /// account that is not locked out, are security events (<see cref="SecurityEvents"/>); an unknown email leaves none.
    /// </summary>
    public async Task<LoginResult> LoginAsync(
        string? email, string? password, string? twoFactorCode, string? organizationId = null, ClientInfo? client = null,
        CancellationToken ct = default)
    {
        // Wall-clock time on purpose: the floor is about how long the answer takes to reach the client, not about
        // the app's clock (which tests move by hand).
        var started = Stopwatch.GetTimestamp();
        var result = await AttemptAsync(email, password, twoFactorCode, organizationId, client, ct);
        // A timer may fire a little early: wait again until the floor has truly passed.
        while (result.Failure is not null && timing.Value.FailureFloor - Stopwatch.GetElapsedTime(started) is { Ticks: > 0 } rest)
            await Task.Delay(rest < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : rest, ct);
        return result;
    }

    private async Task<LoginResult> AttemptAsync(
        string? email, string? password, string? twoFactorCode, string? organizationId, ClientInfo? client, CancellationToken ct)
    {
        // No account has an email that long: nothing to look up, count or lock.
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password) || EmailRules.IsTooLong(email))
            return LoginResult.Failed("invalid_credentials", BadCredentials);

        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null)
        {
            // Lock out and spend time as a real account would, so neither the answers nor their timing tell which
            // emails have accounts.
            if (unknownLockouts.LockedUntil(email) is { } lockedUntil)
                return LockedOut(lockedUntil);
            users.PasswordHasher.HashPassword(new ApplicationUser(), password);
            return unknownLockouts.Failed(email) is { } until ? LockedOut(until) : LoginResult.Failed("invalid_credentials", BadCredentials);
        }
        if (await users.IsLockedOutAsync(user))
            return await LockedOutAsync(user);
        if (!await users.CheckPasswordAsync(user, password))
            return await FailedAttemptAsync(user, "invalid_credentials", BadCredentials, "wrong_password", client, ct);
        if (users.Options.SignIn.RequireConfirmedAccount && !await users.IsEmailConfirmedAsync(user))
            return LoginResult.Failed("email_not_confirmed", "Confirm your email address before signing in.");

        var twoFactor = await users.GetTwoFactorEnabledAsync(user);
        if (twoFactor)
        {
            if (string.IsNullOrWhiteSpace(twoFactorCode))
                return LoginResult.Failed("two_factor_required", "This account uses two-factor authentication: send two_factor_code (an authenticator code or a recovery code).");
            if (!await IsSecondFactorValidAsync(user, twoFactorCode.Trim()))
                return await FailedAttemptAsync(user, "invalid_two_factor_code", "The two-factor code is wrong, expired or already used.",
                    "wrong_two_factor_code", client, ct);
        }

        await users.ResetAccessFailedCountAsync(user);
        var membership = await organizations.ChooseMembershipAsync(user, organizationId, ct);
        if (membership is null)
            return LoginResult.Failed("validation_failed", ActiveOrganization.NotAMemberMessage, field: "organization_id");
        await securityEvents.RecordAsync(user.Id, AuditActions.SignedIn, client,
            new ChangeSet().Note("via", SecurityEvents.ViaApi).Note("method", twoFactor ? "password_and_code" : "password"), ct);
        return new LoginResult(user, membership, null);
    }

    private async Task<bool> IsSecondFactorValidAsync(ApplicationUser user, string code) =>
        await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code)
        || (await users.RedeemTwoFactorRecoveryCodeAsync(user, code.Replace(" ", "", StringComparison.Ordinal))).Succeeded;

    /// <summary>
    /// Counts the failure towards lockout and records it. Only an account that was not locked out gets here, so a flood
    /// of wrong passwords adds at most the lockout threshold (5) of events per lockout period to the log.
    /// </summary>
    private async Task<LoginResult> FailedAttemptAsync(
        ApplicationUser user, string code, string message, string reason, ClientInfo? client, CancellationToken ct)
    {
        await users.AccessFailedAsync(user);
        var lockedOut = await users.IsLockedOutAsync(user);
        await securityEvents.RecordAsync(user.Id, AuditActions.SignInFailed, client,
            new ChangeSet().Note("via", SecurityEvents.ViaApi).Note("reason", reason).Note("locked_out", lockedOut), ct);
        return lockedOut ? await LockedOutAsync(user) : LoginResult.Failed(code, message);
    }

    private async Task<LoginResult> LockedOutAsync(ApplicationUser user)
    {
        var end = await users.GetLockoutEndDateAsync(user) ?? time.GetUtcNow();
        return LockedOut(end);
    }

    private LoginResult LockedOut(DateTimeOffset end)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling((end - time.GetUtcNow()).TotalSeconds));
        return LoginResult.Failed("locked_out", $"Too many failed attempts. Try again in {seconds} seconds.", seconds);
    }
}

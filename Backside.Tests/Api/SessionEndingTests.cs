using System.Net;
using System.Net.Http.Json;
using Backside.Core.Identity;
using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Backside.Tests.Api;

/// <summary>
/// What ends an API session: security changes to the account, the re-checks on every refresh, and the family's
/// maximum lifetime. Moves the clock, so it has an app of its own.
/// </summary>
public class SessionEndingTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    public enum SecurityEvent
    {
        PasswordChanged,
        PasswordReset,
        PasswordSet,
        TwoFactorEnabled,
        TwoFactorDisabled,
        AuthenticatorReset,
        RecoveryCodesRegenerated,
    }

    [Theory]
    [InlineData(SecurityEvent.PasswordChanged)]
    [InlineData(SecurityEvent.PasswordReset)]
    [InlineData(SecurityEvent.PasswordSet)]
    [InlineData(SecurityEvent.TwoFactorEnabled)]
    [InlineData(SecurityEvent.TwoFactorDisabled)]
    [InlineData(SecurityEvent.AuthenticatorReset)]
    [InlineData(SecurityEvent.RecoveryCodesRegenerated)]
    public async Task A_security_change_ends_every_api_session_of_the_account(SecurityEvent change)
    {
        var email = await RegisterAsync();
        string? firstCode = null, secondCode = null;
        if (change is SecurityEvent.TwoFactorDisabled or SecurityEvent.AuthenticatorReset or SecurityEvent.RecoveryCodesRegenerated)
        {
            var (_, codes) = await app.EnableTwoFactorAsync(email);
            (firstCode, secondCode) = (codes[0], codes[1]);
        }
        var first = await LoginForRefreshTokenAsync(email, firstCode);
        var second = await LoginForRefreshTokenAsync(email, secondCode);
        var stampBefore = await SecurityStampAsync(email);

        await ApplyAsync(email, change);

        await (await app.RefreshAsync(first)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "refresh_token_reused");
        await (await app.RefreshAsync(second)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "refresh_token_reused");
        // The same change ends the dashboard's cookie sessions, which carry the old stamp.
        Assert.NotEqual(stampBefore, await SecurityStampAsync(email));
    }

    [Fact]
    public async Task A_lockout_from_failed_sign_ins_ends_every_api_session_of_the_account()
    {
        var email = await RegisterAsync();
        var refresh = await LoginForRefreshTokenAsync(email);
        var stampBefore = await SecurityStampAsync(email);

        for (var i = 0; i < 5; i++)
            await app.LoginAsync(email, "wrong-password");

        await (await app.RefreshAsync(refresh)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "refresh_token_reused");
        Assert.NotEqual(stampBefore, await SecurityStampAsync(email));
    }

    [Fact]
    public async Task Redeeming_a_recovery_code_or_a_failed_sign_in_ends_no_session()
    {
        var email = await RegisterAsync();
        var (_, recoveryCodes) = await app.EnableTwoFactorAsync(email);
        var refresh = await LoginForRefreshTokenAsync(email, recoveryCodes[0]);

        await app.LoginAsync(email, "wrong-password");
        await (await app.LoginAsync(email, code: recoveryCodes[1])).ShouldBeJsonAsync(HttpStatusCode.OK);

        await (await app.RefreshAsync(refresh)).ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_locked_out_account_cannot_refresh_and_its_session_is_ended()
    {
        var email = await RegisterAsync();
        var refresh = await LoginForRefreshTokenAsync(email);
        // Behind the app's back, so only the re-check on refresh can notice. Identity reads lockouts on the real clock.
        await SetLockoutEndAsync(email, DateTimeOffset.UtcNow.AddHours(1));

        await (await app.RefreshAsync(refresh)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "locked_out");

        await SetLockoutEndAsync(email, null);
        await (await app.RefreshAsync(refresh)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "refresh_token_reused");
        Assert.Equal(0, await LiveTokenCountAsync(email));
    }

    [Fact]
    public async Task An_account_removed_from_the_sessions_organization_cannot_refresh_and_its_session_is_ended()
    {
        var email = await RegisterAsync();
        var refresh = await LoginForRefreshTokenAsync(email);
        await ExecuteSqlAsync($"DELETE FROM OrganizationMembers WHERE UserId = (SELECT Id FROM AspNetUsers WHERE Email = {email})");

        await (await app.RefreshAsync(refresh)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "organization_membership_ended");

        Assert.Equal(0, await LiveTokenCountAsync(email));
    }

    [Fact]
    public async Task A_deleted_account_cannot_refresh()
    {
        var email = await RegisterAsync();
        var refresh = await LoginForRefreshTokenAsync(email);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var result = await scope.ServiceProvider.GetRequiredService<AccountDeletion>()
                .DeleteAsync((await users.FindByEmailAsync(email))!, BacksideAppFactory.Password, client: null);
            Assert.True(result.Succeeded);
        }

        await (await app.RefreshAsync(refresh)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_refresh_token");
    }

    [Fact]
    public async Task An_account_that_vanished_under_its_session_cannot_refresh_and_its_session_is_ended()
    {
        var email = await RegisterAsync();
        var refresh = await LoginForRefreshTokenAsync(email);
        var userId = await UserIdAsync(email);
        // Remove the account row alone (no cascade), as a store that keeps sessions apart from accounts would.
        await using (var db = app.OpenDatabase())
        {
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA foreign_keys = OFF");
            await db.Database.ExecuteSqlAsync($"DELETE FROM AspNetUsers WHERE Id = {userId}");
        }

        await (await app.RefreshAsync(refresh)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "account_not_found");

        await using var check = app.OpenDatabase();
        Assert.Equal(0, await check.RefreshTokens.CountAsync(t => t.UserId == userId && t.RevokedAt == null));
    }

    [Fact]
    public async Task A_session_lives_at_most_thirty_days_from_its_login_however_often_it_is_refreshed()
    {
        var email = await RegisterAsync();
        var refresh = await LoginForRefreshTokenAsync(email);

        for (var day = 6; day < 30; day += 6)
        {
            app.Time.Advance(TimeSpan.FromDays(6));
            refresh = (await (await app.RefreshAsync(refresh)).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("refresh_token").GetString()!;
        }
        app.Time.Advance(TimeSpan.FromDays(6) - TimeSpan.FromMinutes(1)); // day 30 less a minute: the last refresh
        refresh = (await (await app.RefreshAsync(refresh)).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("refresh_token").GetString()!;
        app.Time.Advance(TimeSpan.FromMinutes(1));

        await (await app.RefreshAsync(refresh)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "session_expired");
        await (await app.LoginAsync(email)).ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_family_lifetime_comes_from_configuration()
    {
        await using var shortLived = app.WithWebHostBuilder(builder => builder.UseSetting("Jwt:RefreshFamilyLifetimeDays", "10"));
        Assert.Equal(10, shortLived.Services.GetRequiredService<IOptions<RefreshTokenOptions>>().Value.RefreshFamilyLifetimeDays);
        var email = await RegisterAsync();
        var client = shortLived.CreateClient();
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = BacksideAppFactory.Password });
        var refresh = (await login.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("refresh_token").GetString()!;

        app.Time.Advance(TimeSpan.FromDays(5));
        var second = await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refresh_token = refresh });
        refresh = (await second.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("refresh_token").GetString()!;
        app.Time.Advance(TimeSpan.FromDays(5));
        var third = await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refresh_token = refresh });

        await third.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "session_expired");
    }

    [Fact]
    public void A_family_lifetime_shorter_than_one_refresh_token_is_refused_at_start()
    {
        using var misconfigured = app.WithWebHostBuilder(builder => builder.UseSetting("Jwt:RefreshFamilyLifetimeDays", "3"));

        var error = Assert.Throws<OptionsValidationException>(() => misconfigured.CreateClient());

        Assert.Contains("Jwt:RefreshFamilyLifetimeDays", error.Message);
    }

    private async Task ApplyAsync(string email, SecurityEvent change)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        var result = change switch
        {
            SecurityEvent.PasswordChanged => await users.ChangePasswordAsync(user, BacksideAppFactory.Password, "Another-Horse-10"),
            SecurityEvent.PasswordReset => await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), "Another-Horse-10"),
            SecurityEvent.PasswordSet => await SetPasswordAsync(users, user),
            SecurityEvent.TwoFactorEnabled => await EnableAsync(users, user),
            SecurityEvent.TwoFactorDisabled => await users.SetTwoFactorEnabledAsync(user, false),
            SecurityEvent.AuthenticatorReset => await users.ResetAuthenticatorKeyAsync(user),
            SecurityEvent.RecoveryCodesRegenerated => await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10) is null
                ? IdentityResult.Failed()
                : IdentityResult.Success,
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };
        Assert.True(result.Succeeded, string.Join(", ", result.Errors.Select(e => e.Description)));
    }

    /// <summary>The Set password page's path: an account without a password (an external login) gets one.</summary>
    private static Task<IdentityResult> SetPasswordAsync(UserManager<ApplicationUser> users, ApplicationUser user)
    {
        user.PasswordHash = null;
        return users.AddPasswordAsync(user, "Another-Horse-10");
    }

    private static async Task<IdentityResult> EnableAsync(UserManager<ApplicationUser> users, ApplicationUser user)
    {
        await users.ResetAuthenticatorKeyAsync(user);
        return await users.SetTwoFactorEnabledAsync(user, true);
    }

    private async Task<string> RegisterAsync()
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        await app.CreateMemberAsync(email);
        return email;
    }

    private async Task<string> LoginForRefreshTokenAsync(string email, string? recoveryCode = null)
    {
        var tokens = await (await app.LoginAsync(email, code: recoveryCode)).ShouldBeJsonAsync(HttpStatusCode.OK);
        return tokens.GetProperty("refresh_token").GetString()!;
    }

    private async Task SetLockoutEndAsync(string email, DateTimeOffset? end)
    {
        await using var db = app.OpenDatabase();
        await db.Users.Where(u => u.Email == email).ExecuteUpdateAsync(set => set.SetProperty(u => u.LockoutEnd, end));
    }

    private async Task<string?> SecurityStampAsync(string email)
    {
        await using var db = app.OpenDatabase();
        return await db.Users.Where(u => u.Email == email).Select(u => u.SecurityStamp).SingleAsync();
    }

    private async Task<string> UserIdAsync(string email)
    {
        await using var db = app.OpenDatabase();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    private async Task<int> LiveTokenCountAsync(string email)
    {
        var userId = await UserIdAsync(email);
        await using var db = app.OpenDatabase();
        return await db.RefreshTokens.CountAsync(t => t.UserId == userId && t.RevokedAt == null);
    }

    private async Task ExecuteSqlAsync(FormattableString sql)
    {
        await using var db = app.OpenDatabase();
        await db.Database.ExecuteSqlAsync(sql);
    }
}

using System.Net.Http.Json;
using Backside.Core.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Infrastructure;

/// <summary>The API session calls and account steps the session tests share.</summary>
public static class SessionRequests
{
    public static Task<HttpResponseMessage> LoginAsync(
        this BacksideAppFactory app, string email, string password = BacksideAppFactory.Password, string? code = null) =>
        app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email, password, two_factor_code = code });

    public static Task<HttpResponseMessage> RefreshAsync(this BacksideAppFactory app, string refreshToken) =>
        app.CreateClient().PostAsJsonAsync("/api/v1/auth/refresh", new { refresh_token = refreshToken });

    /// <summary>Turns two-factor on for the account as the enrolment page does; returns its secret and recovery codes.</summary>
    public static async Task<(string Secret, List<string> RecoveryCodes)> EnableTwoFactorAsync(this BacksideAppFactory app, string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10))!.ToList();
        return ((await users.GetAuthenticatorKeyAsync(user))!, codes);
    }
}

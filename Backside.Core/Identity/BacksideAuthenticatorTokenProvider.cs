using Microsoft.AspNetCore.Identity;

namespace Backside.Core.Identity;

/// <summary>
/// Identity's authenticator provider, with one difference that matters: a code that was accepted once is refused
/// when presented again (the framework's own provider accepts a replayed code within its window). The last
/// accepted time step is stored on the user; the update's concurrency stamp makes two racing uses of one code fail.
/// </summary>
public sealed class BacksideAuthenticatorTokenProvider(TimeProvider time) : IUserTwoFactorTokenProvider<ApplicationUser>
{
    public const string ProviderName = "BacksideAuthenticator";

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<ApplicationUser> manager, ApplicationUser user) =>
        !string.IsNullOrWhiteSpace(await manager.GetAuthenticatorKeyAsync(user));

    /// <summary>Authenticator codes come from the person's app, never from the server.</summary>
    public Task<string> GenerateAsync(string purpose, UserManager<ApplicationUser> manager, ApplicationUser user) =>
        Task.FromResult(string.Empty);

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<ApplicationUser> manager, ApplicationUser user)
    {
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrWhiteSpace(key))
            return false;
        var step = TotpVerifier.Verify(key, token, time.GetUtcNow(), user.LastTotpTimeStep);
        if (step is null)
            return false;

        user.LastTotpTimeStep = step;
        var saved = await manager.UpdateAsync(user);
        return saved.Succeeded;
    }
}

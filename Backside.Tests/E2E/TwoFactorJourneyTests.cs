using Backside.Core.Identity;
using Backside.Tests.Infrastructure;
using Backside.Web.Components.Account;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Backside.Tests.E2E;

/// <summary>Enrol an authenticator from the page, then sign in with a code and with recovery codes.</summary>
[Collection(BrowserCollection.Name)]
public class TwoFactorJourneyTests(BrowserAppFactory app) : IClassFixture<BrowserAppFactory>
{
    [Fact]
    public async Task Person_enrols_an_authenticator_and_signs_in_with_codes_and_recovery_codes()
    {
        var baseUrl = app.BaseUrl;
        await Browser.RunJourneyAsync(baseUrl, "two-factor-journey", async page =>
        {
            var email = $"secure-{Guid.NewGuid():N}@example.com";
            await page.RegisterAndConfirmAsync(email);
            await page.SignInAsync(email);
            await page.OpenApiKeysAsync();
            await Expect(page.GetByTestId("two-factor-banner")).ToBeVisibleAsync();

            var (secret, recoveryCodes) = await page.EnrolAuthenticatorAsync(email);
            await using (var db = app.OpenDatabase())
            {
                // Enrolment stored both secrets encrypted: neither the key nor any recovery code is in the table.
                var stored = await db.UserTokens.Select(t => t.Value ?? "").ToListAsync();
                Assert.DoesNotContain(stored, v => v.Contains(secret, StringComparison.OrdinalIgnoreCase) || recoveryCodes.Any(v.Contains));
            }

            await SignOutAsync(page);
            await StartSignInAsync(page, email);
            // The enrolment used this time step's code; a code may be used once, so the app's next one is typed.
            await page.GetByLabel("Authenticator code").FillAsync(TotpVerifier.Compute(secret, DateTimeOffset.UtcNow.AddSeconds(30)));
            await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = email, Exact = true })).ToBeVisibleAsync();
            await page.OpenApiKeysAsync();
            await Expect(page.GetByTestId("two-factor-banner")).ToHaveCountAsync(0);

            await SignOutAsync(page);
            await SignInWithRecoveryCodeAsync(page, email, recoveryCodes[0]);
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = email, Exact = true })).ToBeVisibleAsync();

            await SignOutAsync(page);
            await SignInWithRecoveryCodeAsync(page, email, recoveryCodes[0]);
            await Expect(page.GetByText("Invalid recovery code entered.")).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = email })).ToHaveCountAsync(0);
        });
    }

    private static async Task SignOutAsync(IPage page)
    {
        await page.GotoAsync("/");
        // A click while the prerendered page is being made interactive can be lost; wait for the circuit first.
        await page.WaitForInteractivityAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Log in" }).First).ToBeVisibleAsync();
    }

    private static async Task StartSignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(BacksideAppFactory.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(page.GetByLabel("Authenticator code")).ToBeVisibleAsync();
    }

    private static async Task SignInWithRecoveryCodeAsync(IPage page, string email, string code)
    {
        await StartSignInAsync(page, email);
        await page.GetByRole(AriaRole.Link, new() { Name = "log in with a recovery code" }).ClickAsync();
        await page.GetByLabel("Recovery Code").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
    }
}

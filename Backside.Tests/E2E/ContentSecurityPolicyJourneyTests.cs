using Backside.Core.Identity;
using Backside.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Backside.Tests.E2E;

/// <summary>Every dashboard page, driven in a real browser with the content security policy on, breaks none of its rules.</summary>
[Collection(BrowserCollection.Name)]
public class ContentSecurityPolicyJourneyTests(BrowserAppFactory app) : IClassFixture<BrowserAppFactory>
{
    private const string KeyName = "CSP check";

    /// <summary>Signed-in pages visited by address after the clicked journey; each must load.</summary>
    private static readonly string[] AccountPages =
    [
        "/Account/Manage", "/Account/Manage/Email", "/Account/Manage/ChangePassword", "/Account/Manage/TwoFactorAuthentication",
        "/Account/Manage/Passkeys", "/Account/Manage/PersonalData", "/Account/Manage/DeletePersonalData",
        "/Account/Manage/GenerateRecoveryCodes", "/Account/Manage/Disable2fa", "/Account/Manage/ResetAuthenticator",
    ];

    private static readonly string[] AnonymousPages =
    [
        "/Account/ForgotPassword", "/Account/ResendEmailConfirmation", "/Account/Register", "/Account/Lockout", "/not-found",
    ];

    [Fact]
    public async Task Dashboard_pages_run_under_the_content_security_policy_without_a_single_violation()
    {
        var violations = new List<string>();
        await Browser.RunJourneyAsync(app.BaseUrl, "csp-journey", async page =>
        {
            // The event is reported to the console as well, so both routes land in one list.
            await page.AddInitScriptAsync(
                "document.addEventListener('securitypolicyviolation', e => console.error('securitypolicyviolation: ' + e.violatedDirective + ' ' + e.blockedURI))");
            page.Console += (_, message) =>
            {
                if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)
                    || message.Text.Contains("securitypolicyviolation", StringComparison.Ordinal))
                    violations.Add($"{page.Url}: {message.Text}");
            };

            var login = await page.GotoAsync("/Account/Login");
            var policy = await login!.HeaderValueAsync("content-security-policy");
            Assert.NotNull(policy);
            Assert.Contains("frame-ancestors 'none'", policy);
            Assert.DoesNotContain("'unsafe-inline'", policy.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)));

            var email = $"csp-{Guid.NewGuid():N}@example.com";
            await page.RegisterAndConfirmAsync(email);
            await page.SignInAsync(email);
            await page.OpenApiKeysAsync();
            await page.CreateKeyAsync(KeyName);

            await page.GetByRole(AriaRole.Link, new() { Name = KeyName }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = KeyName })).ToBeVisibleAsync();
            await page.WaitForInteractivityAsync();

            await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit log", Exact = true })).ToBeVisibleAsync();
            await page.WaitForInteractivityAsync();
            await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Usage", Exact = true }).ClickAsync();
            await Expect(page.GetByTestId("top-keys")).ToBeVisibleAsync();

            // Enrolment shows the QR code (SVG) and the recovery codes, whose copy button is script from a file.
            var (secret, recoveryCodes) = await page.EnrolAuthenticatorAsync(email);
            await page.GetByRole(AriaRole.Button, new() { Name = "Copy codes" }).ClickAsync();
            await page.WaitForFunctionAsync("async first => (await navigator.clipboard.readText()).includes(first)", recoveryCodes[0]);

            foreach (var path in AccountPages)
            {
                var response = await page.GotoAsync(path);
                Assert.True(response!.Ok, $"{path} answered {response.Status}");
                // Account pages are static: their scripts have run once the network is quiet.
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            }

            await SignOutAsync(page);
            await page.GotoAsync("/Account/Login");
            await page.GetByLabel("Email").FillAsync(email);
            await page.GetByLabel("Password").FillAsync(BacksideAppFactory.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
            await Expect(page.GetByLabel("Authenticator code")).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "log in with a recovery code" }).ClickAsync();
            await Expect(page.GetByLabel("Recovery Code")).ToBeVisibleAsync();
            await page.GoBackAsync();
            await page.GetByLabel("Authenticator code").FillAsync(TotpVerifier.Compute(secret, DateTimeOffset.UtcNow.AddSeconds(30)));
            await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = email, Exact = true })).ToBeVisibleAsync();
            await SignOutAsync(page);

            foreach (var path in AnonymousPages)
            {
                await page.GotoAsync(path);
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            }
        });
        Assert.Empty(violations);
    }

    private static async Task SignOutAsync(IPage page)
    {
        await page.GotoAsync("/");
        await page.WaitForInteractivityAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Log in" }).First).ToBeVisibleAsync();
    }
}

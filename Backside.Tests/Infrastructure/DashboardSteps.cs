using Backside.Core.Identity;
using Backside.Web.Components.Account;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Backside.Tests.Infrastructure;

/// <summary>Steps a person takes in the dashboard, shared by the browser tests.</summary>
public static class DashboardSteps
{
    public static async Task RegisterAndConfirmAsync(this IPage page, string email)
    {
        await page.GotoAsync("/Account/Register");
        // The key scheme must not pose as an external sign-in provider.
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "API key" })).ToHaveCountAsync(0);
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(BacksideAppFactory.Password);
        await page.GetByLabel("Confirm Password").FillAsync(BacksideAppFactory.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Register", Exact = true }).ClickAsync();
        await page.GetByText("Click here to confirm your account").ClickAsync();
        await Expect(page.GetByText("Thank you for confirming your email.")).ToBeVisibleAsync();
    }

    public static async Task SignInAsync(this IPage page, string email)
    {
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(BacksideAppFactory.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = email, Exact = true })).ToBeVisibleAsync();
    }

    /// <summary>Enrols an authenticator from the page's key (checking the QR code draws the same URI); returns the secret and recovery codes.</summary>
    public static async Task<(string Secret, string[] RecoveryCodes)> EnrolAuthenticatorAsync(this IPage page, string email)
    {
        // Opening the page sets a new key, which changes the security stamp: let the last page's late requests
        // (its favicon, the circuit's start) finish first, as a person's would, so none carries the old cookie.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var response = await page.GotoAsync("/Account/Manage/EnableAuthenticator");
        var html = await response!.TextAsync();
        var secret = (await page.GetByTestId("authenticator-key").TextContentAsync())!.Replace(" ", "").ToUpperInvariant();
        var uri = AuthenticatorQrCode.Uri(email, secret);

        // The QR code must scan to the enrolment URI: the page's SVG is exactly QRCoder's drawing of that URI.
        Assert.Equal(uri, await page.GetByTestId("authenticator-qr").GetAttributeAsync("title"));
        Assert.Contains(AuthenticatorQrCode.Svg(uri), html);
        Assert.StartsWith("otpauth://totp/Backside:", uri);
        await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("two-factor-enrolment"), FullPage = true });

        await page.WaitForLoadStateAsync(LoadState.NetworkIdle); // the same for the change the code makes
        await page.GetByLabel("Verification Code").FillAsync(TotpVerifier.Compute(secret, DateTimeOffset.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        var codes = page.GetByTestId("recovery-codes").Locator("code");
        await Expect(codes).ToHaveCountAsync(10);
        await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("two-factor-recovery-codes"), FullPage = true });
        return (secret, (await codes.AllTextContentsAsync()).Select(c => c.Trim()).ToArray());
    }

    /// <summary>Password, then the current authenticator code (a later step than any code already used).</summary>
    public static async Task SignInWithCodeAsync(this IPage page, string email, string code)
    {
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(BacksideAppFactory.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await page.GetByLabel("Authenticator code").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = email, Exact = true })).ToBeVisibleAsync();
    }

    /// <summary>Creates a live key with contacts:read, reads it from the reveal step, checks the copy button, closes.</summary>
    public static async Task<string> CreateKeyAsync(this IPage page, string keyName)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Name").FillAsync(keyName);
        await dialog.Locator("tr", new() { HasText = "Contacts" }).GetByText("Read", new() { Exact = true }).ClickAsync();
        await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("api-keys-create-dialog") });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();

        var revealed = page.GetByTestId("new-api-key");
        await Expect(revealed).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^bsk_live_[0-9A-Za-z]{43}$"));
        var secret = (await revealed.TextContentAsync())!;
        await Expect(dialog).ToContainTextAsync("never show it again");
        await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("api-keys-reveal-dialog") });

        await dialog.GetByRole(AriaRole.Button, new() { Name = "Copy API key" }).ClickAsync();
        // The copy goes through the server and back to the browser, so wait for it to land.
        await page.WaitForFunctionAsync("async expected => (await navigator.clipboard.readText()) === expected", secret);

        await dialog.GetByRole(AriaRole.Button, new() { Name = "I have copied it" }).ClickAsync();
        await Expect(revealed).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.ContentAsync());
        return secret;
    }

    public static async Task OpenApiKeysAsync(this IPage page)
    {
        await page.WaitForInteractivityAsync();
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "API Keys", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API keys", Exact = true })).ToBeVisibleAsync();
        await page.WaitForInteractivityAsync();
    }
}

using Backside.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Backside.Tests.E2E;

/// <summary>
/// The shell every page shares, account pages included: where a sign-in lands, the theme (chosen, remembered, or the
/// system's), the menu on a phone, the organization in the top bar, and account pages free of template text, each
/// with one main landmark, one h1 and a title of its own.
/// </summary>
[Collection(BrowserCollection.Name)]
public class ShellJourneyTests(BrowserAppFactory app) : IClassFixture<BrowserAppFactory>
{
    private static readonly (int Width, int Height)[] Sizes = [(1366, 768), (390, 844)];

    /// <summary>Text of the Identity template or meant for developers, which no account page may show.</summary>
    private static readonly string[] TemplateText =
    [
        "There are no external authentication services configured", "See this article", "no real email sender",
        "see these docs", "Use a local account", "Use another service", "Microsoft Authenticator for", "Swap",
        "Register as a new user", "Unable to find user with Id", "Privacy and cookie policy",
    ];

    [Fact]
    public async Task Signing_in_lands_on_the_api_keys_and_the_home_page_sends_a_signed_in_person_there_too()
    {
        await Browser.RunJourneyAsync(app.BaseUrl, "shell-sign-in-lands-on-keys", async page =>
        {
            await page.GotoAsync("/");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API keys, done right." })).ToBeVisibleAsync();

            var email = $"lands-{Guid.NewGuid():N}@example.com";
            await page.RegisterAndConfirmAsync(email);
            await page.SignInAsync(email);
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/settings/api-keys$"));
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API keys", Exact = true })).ToBeVisibleAsync();

            await page.GotoAsync("/");
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/settings/api-keys$"));

            // A return URL still wins over the keys.
            await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
            await page.GotoAsync("/settings/usage");
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login"));
            await page.GetByLabel("Email").FillAsync(email);
            await page.GetByLabel("Password").FillAsync(BacksideAppFactory.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/settings/usage$"));
        });
    }

    [Fact]
    public async Task The_theme_chosen_is_remembered_after_a_reload_and_applies_on_the_account_pages()
    {
        await Browser.RunJourneyAsync(app.BaseUrl, "shell-theme-remembered", async page =>
        {
            var email = $"theme-{Guid.NewGuid():N}@example.com";
            await page.RegisterAndConfirmAsync(email);
            await page.SignInAsync(email);
            await page.WaitForInteractivityAsync();
            Assert.False(await IsDarkAsync(page));

            // On an interactive page the toggle switches at once...
            await page.GetByLabel("Toggle dark theme").ClickAsync();
            await page.WaitForFunctionAsync("() => document.documentElement.dataset.theme === 'dark'");
            await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
            await page.ReloadAsync();
            Assert.True(await IsDarkAsync(page));

            // ...and a static account page is drawn dark from its first byte, and can switch back by itself.
            var response = await page.GotoAsync("/Account/Manage");
            Assert.Contains("data-theme=\"dark\"", await response!.TextAsync());
            Assert.True(await IsDarkAsync(page));
            await page.GetByLabel("Toggle dark theme").ClickAsync();
            await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "light");
            Assert.False(await IsDarkAsync(page));
            await page.GotoAsync("/settings/api-keys");
            Assert.False(await IsDarkAsync(page));
        });
    }

    [Fact]
    public async Task The_systems_dark_preference_is_the_default_until_a_theme_is_chosen()
    {
        await Browser.RunJourneyAsync(app.BaseUrl, "shell-system-dark", async page =>
        {
            await page.GotoAsync("/Account/Login");
            await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
            Assert.True(await IsDarkAsync(page));
            // Remembered for the server: the next page is drawn dark at once.
            var next = await page.GotoAsync("/Account/Register");
            Assert.Contains("data-theme=\"dark\"", await next!.TextAsync());

            // A choice overrides the system's.
            await page.GetByLabel("Toggle dark theme").ClickAsync();
            await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "light");
            await page.GotoAsync("/Account/Login");
            await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "light");
            Assert.False(await IsDarkAsync(page));
        }, options => options.ColorScheme = ColorScheme.Dark);
    }

    [Fact]
    public async Task On_a_phone_the_menu_of_an_account_page_reaches_the_other_pages_and_log_out()
    {
        await Browser.RunJourneyAsync(app.BaseUrl, "shell-phone-menu", async page =>
        {
            var email = $"phone-{Guid.NewGuid():N}@example.com";
            await page.RegisterAndConfirmAsync(email);
            await SignInOnAPhoneAsync(page, email);

            await page.GotoAsync("/Account/Manage/ChangePassword");
            var navigation = page.Locator("#navigation");
            await Expect(navigation).ToBeHiddenAsync();
            // The top bar says where the person acts, on a phone too.
            await Expect(page.GetByTestId("organization-switcher")).ToContainTextAsync("· owner");
            await page.GetByLabel("Toggle navigation").ClickAsync();
            await Expect(navigation).ToBeVisibleAsync();
            await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("shell-phone-menu-open") });
            await navigation.GetByRole(AriaRole.Link, new() { Name = "Account", Exact = true }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Manage$"));

            await page.GetByLabel("Toggle navigation").ClickAsync();
            await navigation.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit log", Exact = true })).ToBeVisibleAsync();

            await page.GotoAsync("/Account/Manage/Email");
            await page.GetByLabel("Toggle navigation").ClickAsync();
            await navigation.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
            await page.GotoAsync("/Account/Manage");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true })).ToBeVisibleAsync();
        }, options => options.ViewportSize = new() { Width = 390, Height = 844 });
    }

    [Fact]
    public async Task Every_account_page_has_one_h1_a_main_landmark_a_title_and_no_template_text_in_both_themes_and_sizes()
    {
        await Browser.RunJourneyAsync(app.BaseUrl, "shell-account-pages", async page =>
        {
            var email = $"pages-{Guid.NewGuid():N}@example.com";
            string[] anonymous =
            [
                "/Account/Login", "/Account/Register", "/Account/ForgotPassword", "/Account/ResendEmailConfirmation",
                "/Account/ForgotPasswordConfirmation", "/Account/InvalidPasswordReset", "/Account/ResetPasswordConfirmation",
                "/Account/Lockout", "/Account/AccessDenied",
            ];
            foreach (var path in anonymous)
                await CheckPageAsync(page, path);

            await page.RegisterAndConfirmAsync(email);
            await CheckCurrentPageAsync(page, "account-confirm-email");
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Log in", Exact = true }).Last).ToBeVisibleAsync();
            await CheckPageAsync(page, $"/Account/RegisterConfirmation?email={email}");
            await page.SignInAsync(email);
            string[] signedIn =
            [
                "/Account/Manage", "/Account/Manage/Email", "/Account/Manage/ChangePassword",
                "/Account/Manage/TwoFactorAuthentication", "/Account/Manage/PersonalData",
                "/Account/Manage/DeletePersonalData", "/Account/Manage/ResetAuthenticator",
                "/Account/Manage/EnableAuthenticator",
            ];
            foreach (var path in signedIn)
                await CheckPageAsync(page, path);

            var (secret, _) = await page.EnrolAuthenticatorAsync(email);
            await CheckCurrentPageAsync(page, "account-recovery-codes");
            foreach (var path in (string[])["/Account/Manage/TwoFactorAuthentication", "/Account/Manage/GenerateRecoveryCodes", "/Account/Manage/Disable2fa"])
                await CheckPageAsync(page, path, name: $"{path}-with-2fa");

            await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
            await page.GotoAsync("/Account/Login");
            await page.GetByLabel("Email").FillAsync(email);
            await page.GetByLabel("Password").FillAsync(BacksideAppFactory.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
            await Expect(page.GetByLabel("Authenticator code")).ToBeVisibleAsync();
            await CheckCurrentPageAsync(page, "account-login-with-2fa");
            await page.GetByRole(AriaRole.Link, new() { Name = "log in with a recovery code" }).ClickAsync();
            await Expect(page.GetByLabel("Recovery Code")).ToBeVisibleAsync();
            await CheckCurrentPageAsync(page, "account-login-with-recovery-code");
            Assert.NotEmpty(secret);
        });
    }

    private static async Task CheckPageAsync(IPage page, string path, string? name = null)
    {
        await page.GotoAsync(path);
        await CheckCurrentPageAsync(page, "account" + (name ?? path).Replace("/Account", "").Split('?')[0].Replace('/', '-').ToLowerInvariant());
    }

    /// <summary>Checks the page as it is, then screenshots it in both themes at both sizes (reloading the same URL).</summary>
    private static async Task CheckCurrentPageAsync(IPage page, string name)
    {
        var url = page.Url;
        var text = await page.Locator("body").InnerTextAsync();
        foreach (var template in TemplateText)
            Assert.False(text.Contains(template, StringComparison.OrdinalIgnoreCase), $"{url} shows template text '{template}'.");
        await Expect(page.Locator("main")).ToHaveCountAsync(1);
        await Expect(page.Locator("h1")).ToHaveCountAsync(1);
        var title = await page.TitleAsync();
        Assert.False(string.IsNullOrWhiteSpace(title) || title == "Backside", $"{url} has no title of its own.");
        Assert.Equal(0, await page.Locator("link[href*='bootstrap']").CountAsync());
        await Expect(page.GetByLabel("Toggle dark theme")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Toggle navigation")).ToBeVisibleAsync();

        foreach (var theme in (string[])["light", "dark"])
        {
            await page.Context.AddCookiesAsync([new() { Name = "backside-theme", Value = theme, Url = new Uri(new Uri(url), "/").ToString() }]);
            foreach (var (width, height) in Sizes)
            {
                await page.SetViewportSizeAsync(width, height);
                // The recovery codes are a form's answer: loading them again would post again, so they keep one theme.
                if (!name.EndsWith("recovery-codes", StringComparison.Ordinal))
                    await page.ReloadAsync();
                await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath($"{name}-{theme}-{width}"), FullPage = true });
            }
        }
        await page.Context.ClearCookiesAsync(new() { Name = "backside-theme" });
        await page.SetViewportSizeAsync(1440, 1000);
    }

    private static async Task SignInOnAPhoneAsync(IPage page, string email)
    {
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(BacksideAppFactory.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/settings/api-keys$"));
    }

    /// <summary>Whether the page is drawn in MudBlazor's dark palette (its background is not white).</summary>
    private static async Task<bool> IsDarkAsync(IPage page) =>
        await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor") is not ("rgb(255, 255, 255)" or "rgba(255, 255, 255, 1)");
}

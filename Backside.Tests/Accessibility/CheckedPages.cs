using Backside.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Backside.Tests.Accessibility;

/// <summary>Every page of the site, dashboard and account, and every dialog of the key pages.</summary>
public static class CheckedPages
{
    public static readonly IReadOnlyList<CheckedPage> All =
    [
        Dashboard("api-keys-empty", Persona.Newcomer, "/settings/api-keys", "API keys"),
        Dashboard("api-keys-list", Persona.Owner, "/settings/api-keys", "API keys"),
        new("api-keys-create-dialog", Persona.Owner, async (page, _) =>
        {
            await OpenAsync(page, "/settings/api-keys", "API keys");
            await OpenDialogAsync(page, "Create API key");
        }),
        new("api-keys-reveal", Persona.Owner, async (page, _) =>
        {
            await OpenAsync(page, "/settings/api-keys", "API keys");
            var dialog = await OpenDialogAsync(page, "Create API key");
            await dialog.GetByLabel("Name").FillAsync($"Reveal check {Guid.NewGuid():N}"[..20]);
            await dialog.Locator("tr", new() { HasText = "Contacts" }).GetByText("Read", new() { Exact = true }).ClickAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
            await Expect(dialog.GetByTestId("new-api-key")).ToBeVisibleAsync();
        }),
        new("api-key-details", Persona.Owner, (page, site) => OpenAsync(page, $"/settings/api-keys/{site.KeyId}", AccessibilityFixture.KeyName)),
        KeyDialog("api-key-edit-dialog", "Edit"),
        KeyDialog("api-key-rotate-dialog", "Rotate"),
        KeyDialog("api-key-revoke-dialog", "Revoke"),
        Dashboard("usage", Persona.Owner, "/settings/usage", "Usage"),
        Dashboard("audit-log", Persona.Owner, "/settings/audit-log", "Audit log"),
        Dashboard("members", Persona.Owner, "/settings/members", "Members"),
        Dashboard("organization", Persona.Owner, "/settings/organization", "Organization"),
        Dashboard("platform-organizations", Persona.Operator, "/platform/organizations", "Organizations"),
        Dashboard("payments", Persona.Operator, "/operator/payments", "Payments"),
        new("invitation-accept", Persona.Invitee, async (page, site) =>
        {
            await page.GotoAsync(site.InvitationPath); // a static page: no circuit to wait for
            await Expect(page.GetByTestId("invitation-accept")).ToBeVisibleAsync();
        }),
        Account("register", Persona.Anonymous, "/Account/Register"),
        Account("login", Persona.Anonymous, "/Account/Login"),
        Account("forgot-password", Persona.Anonymous, "/Account/ForgotPassword"),
        new("login-two-factor", Persona.Anonymous, async (page, _) =>
        {
            await page.GotoAsync("/Account/Login");
            await page.GetByLabel("Email").FillAsync(AccessibilityAppFactory.OperatorEmail);
            await page.GetByLabel("Password").FillAsync(BacksideAppFactory.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
            await Expect(page.GetByLabel("Authenticator code")).ToBeVisibleAsync();
        }),
        Account("manage-profile", Persona.Owner, "/Account/Manage"),
        Account("manage-email", Persona.Owner, "/Account/Manage/Email"),
        Account("manage-password", Persona.Owner, "/Account/Manage/ChangePassword"),
        Account("manage-two-factor", Persona.Owner, "/Account/Manage/TwoFactorAuthentication"),
        Account("manage-personal-data", Persona.Owner, "/Account/Manage/PersonalData"),
        Account("not-found", Persona.Owner, "/not-found"),
        // A direct load of an address that does not exist, as a mistyped or stale link gives.
        new("unknown-address", Persona.Owner, async (page, _) =>
        {
            try
            {
                await page.GotoAsync("/settings/no-such-page");
            }
            catch (PlaywrightException e) when (e.Message.Contains("ERR_HTTP_RESPONSE_CODE_FAILURE", StringComparison.Ordinal))
            {
                Assert.Fail("A direct load of an unknown address gets an empty 404, so the browser shows its own error page.");
            }
        }),
    ];

    public static CheckedPage Named(string name) => All.Single(p => p.Name == name);

    private static CheckedPage Dashboard(string name, Persona persona, string path, string heading) =>
        new(name, persona, (page, _) => OpenAsync(page, path, heading));

    private static CheckedPage Account(string name, Persona persona, string path) =>
        new(name, persona, async (page, _) => await page.GotoAsync(path));

    /// <summary>The owner's key page, then one of its actions' dialogs.</summary>
    private static CheckedPage KeyDialog(string name, string action) =>
        new(name, Persona.Owner, async (page, site) =>
        {
            await OpenAsync(page, $"/settings/api-keys/{site.KeyId}", AccessibilityFixture.KeyName);
            await OpenDialogAsync(page, action);
        });

    private static async Task OpenAsync(IPage page, string path, string heading)
    {
        await page.GotoAsync(path);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true }).First).ToBeVisibleAsync();
        await page.WaitForInteractivityAsync();
    }

    private static async Task<ILocator> OpenDialogAsync(IPage page, string button)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).First.ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToBeVisibleAsync();
        return dialog;
    }
}

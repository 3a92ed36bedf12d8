using System.Text.Json;
using Backside.Core.Identity;
using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Backside.Tests.E2E;

/// <summary>
/// Passkeys end to end in Chromium with a virtual authenticator (the DevTools protocol's WebAuthn domain): register
/// one from Account > Passkeys, sign in with it, rename it, remove it; and the sign-in rules a passkey meets.
/// </summary>
[Collection(BrowserCollection.Name)]
public class PasskeyJourneyTests(BrowserAppFactory app) : IClassFixture<BrowserAppFactory>
{
    [Fact]
    public async Task Person_registers_a_passkey_signs_in_with_it_renames_it_and_removes_it()
    {
        await Browser.RunJourneyAsync(PasskeyBaseUrl(), "passkey-journey", async page =>
        {
            var authenticator = await VirtualAuthenticator.AddAsync(page);
            var email = $"passkey-{Guid.NewGuid():N}@example.com";
            await page.RegisterAndConfirmAsync(email);
            await page.SignInAsync(email);

            await page.GotoAsync("/Account/Manage/Passkeys");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Passkeys", Exact = true })).ToBeVisibleAsync();
            await Expect(page.GetByText("You have no passkeys yet.")).ToBeVisibleAsync();
            await AddPasskeyAsync(page, "Laptop");
            Assert.Single(await authenticator.CredentialsAsync());
            await ScreenshotsAsync(page, "account-passkeys");

            await SignOutAsync(page);
            await SignInWithPasskeyAsync(page);
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = email })).ToBeVisibleAsync();

            await page.GotoAsync("/Account/Manage/Passkeys");
            await page.GetByRole(AriaRole.Button, new() { Name = "Rename Laptop" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Rename your passkey" })).ToBeVisibleAsync();
            await page.GetByLabel("Passkey name").FillAsync("Work laptop");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            await Expect(page.GetByText("Passkey renamed.")).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Work laptop", Exact = true })).ToBeVisibleAsync();

            await page.GetByRole(AriaRole.Button, new() { Name = "Remove Work laptop" }).ClickAsync();
            await Expect(page.GetByText("Passkey removed.")).ToBeVisibleAsync();
            await Expect(page.GetByText("You have no passkeys yet.")).ToBeVisibleAsync();

            // The authenticator still holds the credential; the site no longer knows it.
            Assert.Single(await authenticator.CredentialsAsync());
            await SignOutAsync(page);
            await SignInWithPasskeyAsync(page);
            await Expect(page.GetByText("Invalid login attempt.")).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = email })).ToHaveCountAsync(0);
        });
    }

    [Fact]
    public async Task A_passkey_sign_in_skips_the_authenticator_code_but_not_lockout_or_email_confirmation()
    {
        await Browser.RunJourneyAsync(PasskeyBaseUrl(), "passkey-rules", async page =>
        {
            await VirtualAuthenticator.AddAsync(page);
            var email = $"passkey-rules-{Guid.NewGuid():N}@example.com";
            await page.RegisterAndConfirmAsync(email);
            await page.SignInAsync(email);
            await page.GotoAsync("/Account/Manage/Passkeys");
            await AddPasskeyAsync(page, "Phone");
            await page.EnrolAuthenticatorAsync(email);

            // A user-verified passkey is two factors in one (the device, and the PIN or biometric that unlocks
            // it), as ASP.NET Identity treats it: no authenticator code follows.
            await SignOutAsync(page);
            await SignInWithPasskeyAsync(page);
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = email })).ToBeVisibleAsync();

            await SignOutAsync(page);
            await WithUserAsync(email, (users, user) => users.SetLockoutEndDateAsync(user, DateTimeOffset.UtcNow.AddMinutes(15)));
            await SignInWithPasskeyAsync(page);
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Lockout$"));

            await WithUserAsync(email, async (users, user) =>
            {
                await users.SetLockoutEndDateAsync(user, null);
                user.EmailConfirmed = false;
                return await users.UpdateAsync(user);
            });
            await SignInWithPasskeyAsync(page);
            await Expect(page.GetByText("Invalid login attempt.")).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = email })).ToHaveCountAsync(0);
        });
    }

    /// <summary>
    /// A passkey is bound to a domain name (the relying party id), and WebAuthn takes no IP address for one: the
    /// browser comes to the loopback server as <c>localhost</c>.
    /// </summary>
    private string PasskeyBaseUrl() => app.BaseUrl.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

    private static async Task AddPasskeyAsync(IPage page, string name)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        // A new passkey goes straight to naming it.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Name your passkey" })).ToBeVisibleAsync();
        await page.GetByLabel("Passkey name").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = name, Exact = true })).ToBeVisibleAsync();
    }

    private static async Task SignInWithPasskeyAsync(IPage page)
    {
        await page.GotoAsync("/Account/Login");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in with a passkey" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    private static async Task SignOutAsync(IPage page)
    {
        await page.GotoAsync("/");
        await page.WaitForInteractivityAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Log in" }).First).ToBeVisibleAsync();
    }

    private async Task WithUserAsync(string email, Func<UserManager<ApplicationUser>, ApplicationUser, Task<IdentityResult>> change)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByEmailAsync(email);
        Assert.NotNull(user);
        var result = await change(users, user);
        Assert.True(result.Succeeded, string.Join(", ", result.Errors.Select(e => e.Description)));
    }

    private static async Task ScreenshotsAsync(IPage page, string name)
    {
        foreach (var (width, height) in new[] { (1366, 768), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath($"{name}-{width}x{height}"), FullPage = true });
        }
        await page.SetViewportSizeAsync(1440, 1000);
    }

    /// <summary>A platform authenticator that holds discoverable credentials and verifies its user without asking.</summary>
    private sealed class VirtualAuthenticator(ICDPSession session, string id)
    {
        public static async Task<VirtualAuthenticator> AddAsync(IPage page)
        {
            // The login page offers passkeys in the email field's autofill too (conditional mediation), which a
            // virtual authenticator answers at once, signing in on load; the journeys press the button instead.
            await page.AddInitScriptAsync("window.PublicKeyCredential && (PublicKeyCredential.isConditionalMediationAvailable = async () => false)");
            var session = await page.Context.NewCDPSessionAsync(page);
            await session.SendAsync("WebAuthn.enable");
            var added = await session.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
            {
                ["options"] = new Dictionary<string, object>
                {
                    ["protocol"] = "ctap2",
                    ["transport"] = "internal",
                    ["hasResidentKey"] = true,
                    ["hasUserVerification"] = true,
                    ["isUserVerified"] = true,
                    ["automaticPresenceSimulation"] = true,
                },
            });
            return new VirtualAuthenticator(session, added!.Value.GetProperty("authenticatorId").GetString()!);
        }

        public async Task<JsonElement[]> CredentialsAsync()
        {
            var result = await session.SendAsync("WebAuthn.getCredentials", new Dictionary<string, object> { ["authenticatorId"] = id });
            return [.. result!.Value.GetProperty("credentials").EnumerateArray()];
        }
    }
}

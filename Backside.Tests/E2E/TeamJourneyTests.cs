using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Backside.Core.Organizations;
using Backside.Tests.Infrastructure;
using Backside.Web.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Backside.Tests.E2E;

/// <summary>
/// A team from start to end in two browsers, with the real SMTP server: an Owner creates a team and invites a second
/// person as Developer; they register through the mailed link and accept; they can do only what a Developer may; the
/// Owner promotes them to Admin and they create a live key; the Owner removes them and both their dashboard and an
/// access token issued before the removal are refused.
/// </summary>
[Collection(BrowserCollection.Name)]
public class TeamJourneyTests(BrowserEmailAppFactory app) : IClassFixture<BrowserEmailAppFactory>
{
    private const string TeamName = "Rocket team";
    private const string OwnersKey = "Owner's live key";

    [Fact]
    public async Task Owner_invites_a_developer_promotes_them_to_admin_then_removes_them()
    {
        var baseUrl = app.BaseUrl;
        await Browser.RunJourneyAsync(baseUrl, "team-journey", async owner =>
        {
            var ownerEmail = $"owner-{Guid.NewGuid():N}@example.com";
            var email = $"dev-{Guid.NewGuid():N}@example.com";

            // 1. The Owner registers, creates the team from the switcher, makes one live key and invites a Developer.
            await RegisterByMailAsync(owner, ownerEmail);
            await owner.SignInAsync(ownerEmail);
            await CreateTeamFromSwitcherAsync(owner);
            await owner.OpenApiKeysAsync();
            await owner.CreateKeyAsync(OwnersKey);
            await OpenMembersAsync(owner);
            await InviteAsync(owner, email, "Developer");
            await owner.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("team-members-pending-invitation"), FullPage = true });

            // 2. The second person opens the mailed link in their own browser, registers through it and accepts.
            await using var secondBrowser = await owner.Context.Browser!.NewContextAsync(
                new() { BaseURL = baseUrl, ViewportSize = new() { Width = 1440, Height = 1000 } });
            await secondBrowser.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = baseUrl });
            var person = await secondBrowser.NewPageAsync();
            await RegisterThroughInvitationAsync(person, email, ownerEmail);
            var switcher = Switcher(person);
            await Expect(switcher).ToContainTextAsync($"{TeamName} · developer");
            await person.WaitForInteractivityAsync();
            await switcher.ClickAsync();
            var options = person.GetByTestId("organization-option");
            await Expect(options.Filter(new() { HasText = TeamName })).ToContainTextAsync("developer");
            await Expect(options.Filter(new() { HasText = $"{email}'s organization" })).ToContainTextAsync("owner");
            await WaitForPopoverAsync(person);
            await person.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("team-switcher-open") });
            await person.Mouse.ClickAsync(700, 800); // outside the menu, on the page's empty lower half
            await Expect(options.First).ToBeHiddenAsync();
            await using (var db = app.OpenDatabase())
                Assert.True(await db.Users.Where(u => u.Email == email).Select(u => u.EmailConfirmed).SingleAsync());
            Assert.DoesNotContain(app.Mail.MessagesTo(email), m => m.Subject == EmailMessages.ConfirmEmailSubject);

            // 3. As a Developer: test keys only, nothing to do on the live key, no member controls.
            await ExpectDeveloperKeysPageAsync(person);
            await OpenMembersAsync(person);
            await Expect(person.GetByTestId("members-table")).ToContainTextAsync(ownerEmail);
            await Expect(person.GetByTestId("members-table")).ToContainTextAsync(email);
            await Expect(person.GetByTestId("role-select")).ToHaveCountAsync(0);
            await Expect(person.GetByTestId("remove-member")).ToHaveCountAsync(0);
            await Expect(person.GetByTestId("invitations-panel")).ToHaveCountAsync(0);

            // 4. The Owner promotes them to Admin; after a reload they create a live key.
            await owner.ReloadAsync();
            await owner.WaitForInteractivityAsync();
            await Expect(owner.GetByTestId("invitation-row")).ToHaveCountAsync(0);
            await ChangeRoleAsync(owner, email, "Admin");
            await person.GotoAsync("/settings/api-keys");
            await Expect(switcher).ToContainTextAsync($"{TeamName} · admin");
            await person.WaitForInteractivityAsync();
            var liveSecret = await person.CreateKeyAsync("Admin's live key");
            Assert.StartsWith("bsk_live_", liveSecret);

            // While they are Admin, an API session for the team.
            using var api = app.CreateDefaultClient(new Uri(baseUrl));
            var teamId = await TeamIdAsync(ownerEmail);
            var login = await api.PostAsJsonAsync("/api/v1/auth/login", new { email, password = BacksideAppFactory.Password, organization_id = teamId });
            var session = await login.ShouldBeJsonAsync(HttpStatusCode.OK);
            Assert.Equal(teamId, session.GetProperty("organization").GetProperty("id").GetString());
            Assert.Equal("admin", session.GetProperty("organization").GetProperty("role").GetString());
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.GetProperty("access_token").GetString());
            await (await api.GetAsync("/api/v1/api-keys")).ShouldBeJsonAsync(HttpStatusCode.OK);

            // 5. The Owner removes them: their next page load and their access token are refused.
            await RemoveMemberAsync(owner, email);
            await person.GotoAsync("/settings/api-keys");
            await Expect(person.GetByTestId("membership-ended")).ToContainTextAsync($"You no longer belong to {TeamName}.");
            await person.WaitForInteractivityAsync();
            await Expect(switcher).ToContainTextAsync($"{email}'s organization · owner");
            await Expect(person.Locator("tr", new() { HasText = OwnersKey })).ToHaveCountAsync(0);
            await (await api.GetAsync("/api/v1/api-keys")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "organization_membership_ended");
            await using (var db = app.OpenDatabase())
                Assert.False(await db.OrganizationMembers.AnyAsync(m => m.OrganizationId == teamId && db.Users.Any(u => u.Id == m.UserId && u.Email == email)));
        });
    }

    /// <summary>Menus fade in: wait until the open one is opaque, so a screenshot shows it and not the page through it.</summary>
    private static async Task WaitForPopoverAsync(IPage page) => await page.WaitForFunctionAsync(
        "() => { const p = document.querySelector('.mud-popover-open'); return p !== null && getComputedStyle(p).opacity === '1'; }");

    private static ILocator Switcher(IPage page) => page.GetByRole(AriaRole.Button, new() { Name = "Switch organization" });

    /// <summary>Registers on the register page, then confirms with the link of the mail the SMTP server received.</summary>
    private async Task RegisterByMailAsync(IPage page, string email)
    {
        await page.GotoAsync("/Account/Register");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(BacksideAppFactory.Password);
        await page.GetByLabel("Confirm Password").FillAsync(BacksideAppFactory.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Register", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/RegisterConfirmation"));
        var mail = await app.Mail.WaitForMessageAsync(email, m => m.Subject == EmailMessages.ConfirmEmailSubject);
        await page.GotoAsync(EmailAppFactory.OnThisApp(mail.FirstLink()));
        await Expect(page.GetByText("Thank you for confirming your email.")).ToBeVisibleAsync();
    }

    private static async Task CreateTeamFromSwitcherAsync(IPage page)
    {
        await page.WaitForInteractivityAsync();
        await Switcher(page).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "New organization…" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Name").FillAsync(TeamName);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(Switcher(page)).ToContainTextAsync($"{TeamName} · owner");
    }

    private static async Task OpenMembersAsync(IPage page)
    {
        await page.WaitForInteractivityAsync();
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Members", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Members", Exact = true })).ToBeVisibleAsync();
        await page.WaitForInteractivityAsync();
    }

    private static async Task InviteAsync(IPage page, string email, string role)
    {
        var panel = page.GetByTestId("invitations-panel");
        await panel.GetByLabel("Email").FillAsync(email);
        await panel.GetByTestId("invite-role").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = role, Exact = true }).ClickAsync();
        await panel.GetByRole(AriaRole.Button, new() { Name = "Invite", Exact = true }).ClickAsync();
        await Expect(page.GetByText($"Invited {email} as {role}.")).ToBeVisibleAsync();
        var row = panel.GetByTestId("invitation-row");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync(email);
        await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync(role);
    }

    /// <summary>The mailed link, signed out: who invites, to what, as which role; then Register (address filled in), then Accept.</summary>
    private async Task RegisterThroughInvitationAsync(IPage page, string email, string ownerEmail)
    {
        var mail = await app.Mail.WaitForMessageAsync(email, m => m.Subject == EmailMessages.InvitationSubject(TeamName));
        Assert.Contains(ownerEmail, mail.TextBody);
        Assert.Contains("as a Developer", mail.TextBody);
        await page.GotoAsync(EmailAppFactory.OnThisApp(mail.FirstLink()));
        await Expect(page.GetByTestId("invitation-signed-out")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("invitation-organization")).ToHaveTextAsync(TeamName);
        await Expect(page.GetByTestId("invitation-role")).ToHaveTextAsync("Developer");
        await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("team-invitation-landing"), FullPage = true });

        await page.GetByTestId("invitation-register").ClickAsync();
        await Expect(page.GetByLabel("Email")).ToHaveValueAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(BacksideAppFactory.Password);
        await page.GetByLabel("Confirm Password").FillAsync(BacksideAppFactory.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Register", Exact = true }).ClickAsync();

        var accept = page.GetByTestId("invitation-accept");
        await Expect(accept).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("team-invitation-accept"), FullPage = true });
        await accept.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API keys", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("tr", new() { HasText = OwnersKey })).ToHaveCountAsync(1);
    }

    /// <summary>Create offers only the test environment, and the Owner's live key offers no action, in the list or on its page.</summary>
    private static async Task ExpectDeveloperKeysPageAsync(IPage page)
    {
        await page.OpenApiKeysAsync();
        var liveKey = page.Locator("tr", new() { HasText = OwnersKey });
        await Expect(liveKey).ToHaveCountAsync(1);
        await Expect(liveKey.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.GetByTestId("test-only-note")).ToBeVisibleAsync();
        var environments = dialog.GetByTestId("environment");
        await Expect(environments.GetByRole(AriaRole.Radio)).ToHaveCountAsync(1);
        await Expect(environments.GetByRole(AriaRole.Radio, new() { Name = "Test", Exact = true })).ToBeCheckedAsync();
        await Expect(environments.GetByRole(AriaRole.Radio, new() { Name = "Live", Exact = true })).ToHaveCountAsync(0);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);

        await liveKey.GetByRole(AriaRole.Link, new() { Name = OwnersKey }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = OwnersKey })).ToBeVisibleAsync();
        await page.WaitForInteractivityAsync();
        foreach (var action in new[] { "Edit", "Rotate", "Deactivate", "Revoke" })
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = action, Exact = true })).ToHaveCountAsync(0);
    }

    private static async Task ChangeRoleAsync(IPage page, string email, string role)
    {
        var row = page.GetByTestId("members-table").Locator("tr", new() { HasText = email });
        await row.GetByTestId("role-select").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = role, Exact = true }).ClickAsync();
        await Expect(page.GetByText($"{email} is now an {role}.")).ToBeVisibleAsync();
    }

    private static async Task RemoveMemberAsync(IPage page, string email)
    {
        var row = page.GetByTestId("members-table").Locator("tr", new() { HasText = email });
        await row.GetByRole(AriaRole.Button, new() { Name = $"Remove {email}" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Remove", Exact = true }).ClickAsync();
        await Expect(page.GetByText($"Removed {email}.")).ToBeVisibleAsync();
        await Expect(row).ToHaveCountAsync(0);
    }

    /// <summary>The id of the team the Owner created (the one of their organizations named <see cref="TeamName"/>).</summary>
    private async Task<string> TeamIdAsync(string ownerEmail)
    {
        await using var db = app.OpenDatabase();
        var ownerId = await db.Users.Where(u => u.Email == ownerEmail).Select(u => u.Id).SingleAsync();
        return await db.Organizations
            .Where(o => o.Name == TeamName && db.OrganizationMembers.Any(m => m.OrganizationId == o.Id && m.UserId == ownerId && m.Role == OrganizationRole.Owner))
            .Select(o => o.Id).SingleAsync();
    }
}

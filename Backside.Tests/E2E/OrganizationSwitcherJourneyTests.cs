using Backside.Core.Common;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Backside.Tests.E2E;

/// <summary>
/// The organization switcher in the browser: a person in several organizations creates a team, switches between them
/// (each lists only its own keys), and is removed from one while a page is open and again between page loads.
/// </summary>
[Collection(BrowserCollection.Name)]
public class OrganizationSwitcherJourneyTests(BrowserAppFactory app) : IClassFixture<BrowserAppFactory>
{
    [Fact]
    public async Task Person_switches_organizations_and_is_told_when_a_membership_ends()
    {
        await Browser.RunJourneyAsync(app.BaseUrl, "organization-switcher", WalkThroughAsync);
    }

    private async Task WalkThroughAsync(IPage page)
    {
        var email = $"teams-{Guid.NewGuid():N}@example.com";
        await page.RegisterAndConfirmAsync(email);
        await page.SignInAsync(email);
        var (userId, personal) = await PersonalOrganizationAsync(email);
        await app.CreateKeyAsync(Caller.ForMember(personal, userId), name: "Personal key");
        var shared = await TeamOfSomeoneElseAsync("Shared team", userId, OrganizationRole.Developer, keyName: "Shared key");
        var third = await TeamOfSomeoneElseAsync("Third team", userId, OrganizationRole.Viewer, keyName: null);

        await page.OpenApiKeysAsync();
        var switcher = page.GetByRole(AriaRole.Button, new() { Name = "Switch organization" });
        await Expect(switcher).ToContainTextAsync($"{personal.OrganizationName} · owner");
        await Expect(page.Locator("tr", new() { HasText = "Personal key" })).ToHaveCountAsync(1);

        // A new team from the switcher: created, then the page reloads acting in it.
        await switcher.ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "New organization…" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Name").FillAsync("Rocket team");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(switcher).ToContainTextAsync("Rocket team · owner");
        await page.WaitForInteractivityAsync();
        await Expect(page.Locator("tr", new() { HasText = "Personal key" })).ToHaveCountAsync(0);

        // Switching by keyboard: the menu lists every membership with its role.
        await switcher.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var options = page.GetByRole(AriaRole.Menuitem);
        await Expect(options.Filter(new() { HasText = "Shared team" })).ToBeVisibleAsync();
        await Expect(options.Filter(new() { HasText = "Third team" })).ToContainTextAsync("viewer");
        await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("organization-switcher") });
        await options.Filter(new() { HasText = "Shared team" }).ClickAsync();
        await Expect(switcher).ToContainTextAsync("Shared team · developer");
        await page.WaitForInteractivityAsync();
        await Expect(page.Locator("tr", new() { HasText = "Shared key" })).ToHaveCountAsync(1);
        await Expect(page.Locator("tr", new() { HasText = "Personal key" })).ToHaveCountAsync(0);
        await using (var db = app.OpenDatabase())
            Assert.Equal(shared.OrganizationId, await db.Users.Where(u => u.Id == userId).Select(u => u.LastOrganizationId).SingleAsync());

        // Removed while the page is open: the next action says so, and does not move them elsewhere silently.
        await RemoveAsync(userId, shared.OrganizationId);
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Usage", Exact = true }).ClickAsync();
        var ended = page.GetByTestId("membership-ended");
        await Expect(ended).ToContainTextAsync("You no longer belong to Shared team.");
        await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("organization-membership-ended") });
        await ended.GetByRole(AriaRole.Button, new() { Name = $"Continue in {personal.OrganizationName}" }).ClickAsync();
        await Expect(switcher).ToContainTextAsync($"{personal.OrganizationName} · owner");
        await Expect(page.GetByTestId("membership-ended")).ToHaveCountAsync(0);

        // Removed between page loads: the next load says so once and shows the personal organization.
        await page.WaitForInteractivityAsync();
        await switcher.ClickAsync();
        await page.GetByRole(AriaRole.Menuitem).Filter(new() { HasText = "Third team" }).ClickAsync();
        await Expect(switcher).ToContainTextAsync("Third team · viewer");
        await RemoveAsync(userId, third.OrganizationId);
        await page.GotoAsync("/settings/api-keys");
        await Expect(page.GetByTestId("membership-ended")).ToContainTextAsync("You no longer belong to Third team.");
        await page.WaitForInteractivityAsync();
        await Expect(switcher).ToContainTextAsync($"{personal.OrganizationName} · owner");
        await Expect(page.GetByTestId("membership-ended")).ToHaveCountAsync(1);
        await Expect(page.Locator("tr", new() { HasText = "Personal key" })).ToHaveCountAsync(1);
        await page.ReloadAsync();
        await page.WaitForInteractivityAsync();
        await Expect(page.Locator("tr", new() { HasText = "Personal key" })).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("membership-ended")).ToHaveCountAsync(0);
    }

    private async Task<(string UserId, Membership Personal)> PersonalOrganizationAsync(string email)
    {
        await using var db = app.OpenDatabase();
        var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        var personal = await app.WithServiceAsync<OrganizationService, Membership?>(o => o.FindMembershipAsync(userId));
        return (userId, personal!);
    }

    /// <summary>A team someone else owns, with the person added as <paramref name="role"/> (and one live key, if named).</summary>
    private async Task<Membership> TeamOfSomeoneElseAsync(string name, string userId, OrganizationRole role, string? keyName)
    {
        var owner = await app.CreateMemberAsync();
        var team = await app.WithServiceAsync<OrganizationService, OperationResult<Membership>>(o => o.CreateTeamAsync(owner, name));
        Assert.True(team.Succeeded);
        if (keyName is not null)
            await app.CreateKeyAsync(Caller.ForMember(team.Value, owner.ActorId), name: keyName);
        await using var db = app.OpenDatabase();
        db.OrganizationMembers.Add(new OrganizationMember { OrganizationId = team.Value.OrganizationId, UserId = userId, Role = role, CreatedAt = DateTimeOffset.UtcNow.AddSeconds(1) });
        await db.SaveChangesAsync();
        return team.Value;
    }

    private async Task RemoveAsync(string userId, string organizationId)
    {
        await using var db = app.OpenDatabase();
        await db.OrganizationMembers.Where(m => m.UserId == userId && m.OrganizationId == organizationId).ExecuteDeleteAsync();
    }
}

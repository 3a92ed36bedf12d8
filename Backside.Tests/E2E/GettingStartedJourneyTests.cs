using System.Net;
using System.Text.RegularExpressions;
using Backside.Core.Organizations;
using Backside.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Backside.Tests.E2E;

/// <summary>
/// The keys pages as a newcomer, a read-only member and a phone see them: the empty state, the quick-start lines
/// that work as shown, feedback that cannot be missed, no write button for a Viewer, a layout that fits 390 px.
/// </summary>
[Collection(BrowserCollection.Name)]
public partial class GettingStartedJourneyTests(BrowserAppFactory app) : IClassFixture<BrowserAppFactory>
{
    private const string KeyName = "First key";
    private static readonly ViewportSize Laptop = new() { Width = 1366, Height = 768 };
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    [Fact]
    public async Task A_newcomer_sees_the_empty_state_creates_a_key_and_the_curl_line_works_as_shown()
    {
        var baseUrl = app.BaseUrl;
        await Browser.RunJourneyAsync(baseUrl, "getting-started", async page =>
        {
            await page.SetViewportSizeAsync(Laptop.Width, Laptop.Height);
            var email = $"new-{Guid.NewGuid():N}@example.com";
            await page.RegisterAndConfirmAsync(email);
            await page.SignInAsync(email);
            await page.OpenApiKeysAsync();

            var empty = page.GetByTestId("api-keys-empty");
            await Expect(empty).ToContainTextAsync("An API key lets your code");
            await Expect(page.GetByTestId("api-reference")).ToHaveAttributeAsync("href", $"{baseUrl}/scalar");
            await ScreenshotsAsync(page, "api-keys-empty");

            await empty.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await dialog.GetByLabel("Name").FillAsync(KeyName);
            await dialog.Locator("tr", new() { HasText = "Contacts" }).GetByText("Read", new() { Exact = true }).ClickAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();

            var secret = (await dialog.GetByTestId("new-api-key").TextContentAsync())!;
            var curl = (await dialog.GetByTestId("quick-start-curl").TextContentAsync())!;
            await Expect(dialog.GetByTestId("quick-start-csharp")).ToContainTextAsync($"new BacksideClient(\"{secret}\", new Uri(\"{baseUrl}\"))");
            // Behind the reveal the list has the key already.
            await Expect(page.Locator("tr", new() { HasText = KeyName })).ToHaveCountAsync(1);
            await ScreenshotsAsync(page, "api-keys-reveal-quick-start");

            // The curl line, sent as written: its header, its URL, answered 200.
            var parsed = CurlLine().Match(curl);
            Assert.True(parsed.Success, curl);
            Assert.Equal(secret, parsed.Groups["key"].Value);
            Assert.Equal($"{baseUrl}/api/v1/ping", parsed.Groups["url"].Value);
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, parsed.Groups["url"].Value);
            request.Headers.TryAddWithoutValidation("Authorization", parsed.Groups["header"].Value);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("{\"ok\":true}", await response.Content.ReadAsStringAsync());

            await dialog.GetByRole(AriaRole.Button, new() { Name = "I have copied it" }).ClickAsync();
            await Expect(page.GetByText($"Created '{KeyName}'. It is in the list below")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("api-keys-empty")).ToHaveCountAsync(0);
            Assert.DoesNotContain(secret, await page.ContentAsync());

            // A bad referrer in the Edit dialog: marked at its field, and in view at 1366×768.
            await page.GetByRole(AriaRole.Link, new() { Name = KeyName }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = KeyName })).ToBeVisibleAsync();
            await page.WaitForInteractivityAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync();
            await dialog.GetByLabel("Allowed referrers").FillAsync("https://app.example.com/path");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
            var referrers = dialog.Locator(".mud-input-control", new() { Has = page.Locator("[data-field=allowed_referrers]") });
            await Expect(referrers.Locator(".mud-input-error").First).ToBeVisibleAsync();
            var error = referrers.GetByText("is not a host pattern");
            await Expect(error).ToBeInViewportAsync();
            await ScreenshotsAsync(page, "api-key-edit-field-error");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
            await Expect(dialog).ToHaveCountAsync(0);

            // A rotation's countdown ends when the key is deactivated: neither secret works then.
            await page.GetByRole(AriaRole.Button, new() { Name = "Rotate", Exact = true }).ClickAsync();
            await dialog.GetByTestId("grace-period").ClickAsync();
            await page.GetByRole(AriaRole.Option, new() { Name = "In 1 hour" }).ClickAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Rotate secret" }).ClickAsync();
            await Expect(dialog.GetByTestId("grace-notice")).ToContainTextAsync("keeps working until");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "I have copied it" }).ClickAsync();
            await Expect(page.GetByTestId("grace-countdown")).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Deactivate", Exact = true }).ClickAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Deactivate", Exact = true }).ClickAsync();
            await Expect(page.GetByTestId("api-key-status").First).ToHaveTextAsync("Inactive");
            await Expect(page.GetByTestId("grace-countdown")).ToHaveCountAsync(0);
            await ScreenshotsAsync(page, "api-key-page-deactivated");
        });
    }

    [Fact]
    public async Task A_viewer_sees_no_write_button_on_the_keys_members_or_organization_pages()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Viewer, OrganizationRole.Developer);
        await app.CreateKeyAsync(team.Owner.Caller, name: "Team key");
        var viewer = team.With(OrganizationRole.Viewer);
        // Signed in, the dashboard acts in the organization the person used last: the team.
        await using (var db = app.OpenDatabase())
            await db.Users.Where(u => u.Id == viewer.UserId).ExecuteUpdateAsync(u => u.SetProperty(x => x.LastOrganizationId, team.OrganizationId));

        await Browser.RunJourneyAsync(app.BaseUrl, "viewer-read-only", async page =>
        {
            await page.SetViewportSizeAsync(Laptop.Width, Laptop.Height);
            await page.SignInAsync(viewer.Email);
            await page.OpenApiKeysAsync();
            var row = page.Locator("tr", new() { HasText = "Team key" });
            await Expect(row).ToHaveCountAsync(1);
            await ExpectNoWriteButtonsAsync(page);
            await ScreenshotsAsync(page, "viewer-api-keys");

            await row.GetByRole(AriaRole.Link, new() { Name = "Team key" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Team key" })).ToBeVisibleAsync();
            await page.WaitForInteractivityAsync();
            await ExpectNoWriteButtonsAsync(page);
            await ScreenshotsAsync(page, "viewer-api-key-page");

            await page.GotoAsync("/settings/members");
            await page.WaitForInteractivityAsync();
            await Expect(page.GetByTestId("members-table")).ToContainTextAsync(team.Owner.Email);
            await Expect(page.GetByTestId("invitations-panel")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("role-select")).ToHaveCountAsync(0);
            await ExpectNoWriteButtonsAsync(page);
            await ScreenshotsAsync(page, "viewer-members");

            await page.GotoAsync("/settings/organization");
            await page.WaitForInteractivityAsync();
            await Expect(page.GetByTestId("read-only-notice")).ToBeVisibleAsync();
            await ExpectNoWriteButtonsAsync(page);
            await ScreenshotsAsync(page, "viewer-organization");
        });
    }

    [Fact]
    public async Task On_a_phone_the_search_box_clears_the_banner_and_create_clears_the_first_card()
    {
        var person = await app.CreateMemberAsync();
        await app.CreateKeyAsync(person, name: "Phone key");
        string email;
        await using (var db = app.OpenDatabase())
            email = (await db.Users.SingleAsync(u => u.Id == person.ActorId)).Email!;

        await Browser.RunJourneyAsync(app.BaseUrl, "api-keys-phone", async page =>
        {
            await page.SignInAsync(email);
            await page.SetViewportSizeAsync(Phone.Width, Phone.Height);
            await page.GotoAsync("/settings/api-keys");
            await page.WaitForInteractivityAsync();

            var banner = page.GetByTestId("two-factor-banner");
            var search = page.Locator(".mud-input-control", new() { Has = page.GetByTestId("api-keys-search") });
            var create = page.GetByTestId("create-api-key");
            var firstCard = page.GetByTestId("api-keys-grid").Locator("tbody tr", new() { HasText = "Phone key" });
            await Expect(banner).ToBeVisibleAsync();
            await Expect(create).ToBeVisibleAsync();
            await Expect(firstCard).ToBeVisibleAsync();
            await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("api-keys-list-phone"), FullPage = true });

            AssertApart(await BoxAsync(search), await BoxAsync(banner), "search box", "two-factor banner");
            AssertApart(await BoxAsync(create), await BoxAsync(firstCard), "Create API key", "first card");
            // And nothing is wider than the phone: no sideways scrolling to reach the button.
            Assert.True((await BoxAsync(create)).X + (await BoxAsync(create)).Width <= Phone.Width);
        });
    }

    private static readonly Regex WriteAction = new("^(Create|Edit|Rotate|Deactivate|Activate|Revoke|Remove|Invite|Save|Delete|Transfer|Narrow)", RegexOptions.IgnoreCase);

    /// <summary>Not one button in the page's content offers a change (the top bar's and menu's own buttons aside).</summary>
    private static async Task ExpectNoWriteButtonsAsync(IPage page)
    {
        var content = page.Locator(".mud-main-content");
        await Expect(content).ToBeVisibleAsync();
        var names = new List<string>();
        foreach (var button in await content.GetByRole(AriaRole.Button).AllAsync())
            names.Add(((await button.GetAttributeAsync("aria-label")) ?? (await button.TextContentAsync()) ?? "").Trim());
        Assert.DoesNotContain(names, n => WriteAction.IsMatch(n));
    }

    /// <summary>The page at 1366×768 and at 390×844, each as a full-page screenshot; the page is left at 1366×768.</summary>
    private static async Task ScreenshotsAsync(IPage page, string name)
    {
        await page.SetViewportSizeAsync(Laptop.Width, Laptop.Height);
        await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath($"{name}-1366"), FullPage = true });
        await page.SetViewportSizeAsync(Phone.Width, Phone.Height);
        await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath($"{name}-390"), FullPage = true });
        await page.SetViewportSizeAsync(Laptop.Width, Laptop.Height);
    }

    private static async Task<LocatorBoundingBoxResult> BoxAsync(ILocator locator) =>
        await locator.BoundingBoxAsync() ?? throw new InvalidOperationException($"{locator} has no box.");

    private static void AssertApart(LocatorBoundingBoxResult a, LocatorBoundingBoxResult b, string aName, string bName)
    {
        var overlap = a.X < b.X + b.Width && b.X < a.X + a.Width && a.Y < b.Y + b.Height && b.Y < a.Y + a.Height;
        Assert.False(overlap, $"{aName} ({a.X},{a.Y} {a.Width}×{a.Height}) overlaps {bName} ({b.X},{b.Y} {b.Width}×{b.Height}).");
    }

    /// <summary><c>curl -H "Authorization: Bearer bsk_…" http://…/api/v1/ping</c>: the header, its key and the URL.</summary>
    [GeneratedRegex("""^curl -H "Authorization: (?<header>Bearer (?<key>bsk_(?:live|test)_[0-9A-Za-z]{43}))" (?<url>\S+)$""")]
    private static partial Regex CurlLine();
}

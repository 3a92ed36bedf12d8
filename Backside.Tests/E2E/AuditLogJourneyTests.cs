using Backside.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Backside.Tests.E2E;

/// <summary>The audit log page: names instead of ids, filters by action and key, search, and a CSV of what they select.</summary>
[Collection(BrowserCollection.Name)]
public class AuditLogJourneyTests(BrowserAppFactory app) : IClassFixture<BrowserAppFactory>
{
    [Fact]
    public async Task Person_filters_the_audit_log_by_action_and_key_searches_it_and_exports_what_they_see()
    {
        await Browser.RunJourneyAsync(app.BaseUrl, "audit-log-journey", async page =>
        {
            var email = $"auditor-{Guid.NewGuid():N}@example.com";
            await page.RegisterAndConfirmAsync(email);
            await page.SignInAsync(email);
            await page.OpenApiKeysAsync();
            await page.CreateKeyAsync("Alpha export");
            await page.CreateKeyAsync("Beta sync");

            await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit log", Exact = true })).ToBeVisibleAsync();
            await page.WaitForInteractivityAsync();
            var grid = page.GetByTestId("audit-grid");
            await Expect(grid).ToContainTextAsync("Signed in");
            await Expect(grid).ToContainTextAsync(email);
            await Expect(grid).ToContainTextAsync("Permissions: contacts:read");
            await Expect(grid).Not.ToContainTextAsync("usr_");

            // By action: only the two creations.
            await page.GetByTestId("audit-filter-action").ClickAsync();
            await page.Locator(".mud-popover-open").GetByText("Key created", new() { Exact = true }).ClickAsync();
            await Expect(grid).Not.ToContainTextAsync("Signed in");
            await Expect(grid.Locator("tbody tr")).ToHaveCountAsync(2);

            // And by key: one row, the key by name and hint.
            await page.GetByTestId("audit-filter-key").FillAsync("Alpha");
            await page.Locator(".mud-popover-open").GetByText("Alpha export", new() { Exact = false }).ClickAsync();
            await Expect(grid.Locator("tbody tr")).ToHaveCountAsync(1);
            await Expect(grid).ToContainTextAsync("Alpha export (bsk_live_");
            await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("audit-log-filtered") });

            // Clear the key, search for the other one.
            await page.GetByTestId("audit-filter-key").FillAsync("");
            await page.GetByTestId("audit-filter-key").PressAsync("Escape");
            await page.GetByTestId("audit-search").FillAsync("Beta");
            await Expect(grid.Locator("tbody tr")).ToHaveCountAsync(1);
            await Expect(grid).ToContainTextAsync("Beta sync");

            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("audit-export").ClickAsync());
            var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
            var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("sequence,occurred_at,action,", lines[0]);
            var row = Assert.Single(lines[1..]);
            Assert.Contains("api_key.created", row);
            Assert.Contains("Beta sync (bsk_live_", row);
            Assert.Contains(email, row);

            await page.GetByTestId("audit-search").FillAsync("");
            await Expect(grid.Locator("tbody tr")).ToHaveCountAsync(2);
            await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("audit-log-1366"), FullPage = true });
            await page.SetViewportSizeAsync(1366, 768);
            await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("audit-log-1366x768") });
            await page.SetViewportSizeAsync(390, 844);
            await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("audit-log-390x844"), FullPage = true });
        });
    }
}

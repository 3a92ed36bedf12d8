using System.Net.Http.Headers;
using Backside.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Backside.Tests.E2E;

/// <summary>The Usage page with real requests behind it: successes, refusals and misses, by range and environment.</summary>
[Collection(BrowserCollection.Name)]
public class UsagePageJourneyTests(BrowserAppFactory app) : IClassFixture<BrowserAppFactory>
{
    private const string KeyName = "Reporting job";

    [Fact]
    public async Task Person_reads_requests_by_outcome_over_time_in_light_and_dark_on_a_laptop_and_a_phone()
    {
        var baseUrl = app.BaseUrl;
        using var api = app.CreateDefaultClient(new Uri(baseUrl));
        await Browser.RunJourneyAsync(baseUrl, "usage-journey", async page =>
        {
            var email = $"usage-{Guid.NewGuid():N}@example.com";
            await page.RegisterAndConfirmAsync(email);
            await page.SignInAsync(email);
            await page.OpenApiKeysAsync();
            var secret = await page.CreateKeyAsync(KeyName);
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            for (var i = 0; i < 12; i++)
                await api.GetAsync("/api/v1/contacts"); // 200
            for (var i = 0; i < 4; i++)
                await api.GetAsync("/api/v1/api-keys"); // 403: the key holds contacts:read only
            for (var i = 0; i < 2; i++)
                await api.GetAsync("/api/v1/contacts/con_0193a0b1c2d37e4f8a9b0c1d2e3f4a5b"); // 404

            await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Usage", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Usage", Exact = true, Level = 1 })).ToBeVisibleAsync();
            await page.WaitForInteractivityAsync();
            // The counts are flushed every 200 ms in this app; the page reads them when a range is chosen.
            var chart = page.GetByTestId("usage-chart");
            await page.GetByRole(AriaRole.Radio, new() { Name = "24 hours" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Radio, new() { Name = "24 hours" })).ToHaveAttributeAsync("aria-checked", "true");
            for (var attempt = 0; attempt < 30 && await chart.GetAttributeAsync("data-total") != "18"; attempt++)
            {
                await page.GetByRole(AriaRole.Radio, new() { Name = "7 days" }).ClickAsync();
                await page.GetByRole(AriaRole.Radio, new() { Name = "24 hours" }).ClickAsync();
                await Task.Delay(300);
            }
            await Expect(chart).ToHaveAttributeAsync("data-total", "18");
            await Expect(page.GetByRole(AriaRole.Radio, new() { Name = "24 hours" })).ToHaveAttributeAsync("aria-checked", "true");
            await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Requests by outcome per hour" })).ToHaveAttributeAsync("aria-label",
                new System.Text.RegularExpressions.Regex("18 requests; 12 succeeded \\(2xx\\), 4 refused \\(401/403\\), 0 rate limited \\(429\\), 2 other client errors \\(4xx\\)"));
            await Expect(page.GetByTestId("top-keys")).ToContainTextAsync(KeyName);

            await page.GetByRole(AriaRole.Radio, new() { Name = "Test", Exact = true }).ClickAsync();
            await Expect(chart).ToHaveAttributeAsync("data-total", "0");
            await page.GetByRole(AriaRole.Radio, new() { Name = "All", Exact = true }).ClickAsync();
            await Expect(chart).ToHaveAttributeAsync("data-total", "18");

            foreach (var (width, height) in new[] { (1366, 768), (390, 844) })
            {
                await page.SetViewportSizeAsync(width, height);
                foreach (var theme in new[] { "light", "dark" })
                {
                    if (theme == "dark")
                        await page.GetByLabel("Toggle dark theme").ClickAsync();
                    await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath($"usage-page-{theme}-{width}x{height}"), FullPage = true });
                    if (theme == "dark")
                        await page.GetByLabel("Toggle dark theme").ClickAsync();
                }
            }

            await page.SetViewportSizeAsync(1366, 768);
            await page.GetByTestId("usage-table-toggle").ClickAsync();
            await Expect(page.GetByTestId("usage-table")).ToContainTextAsync("Refused (401/403)");
            await page.GetByRole(AriaRole.Radio, new() { Name = "Custom" }).ClickAsync();
            await Expect(page.GetByLabel("Start date")).ToBeVisibleAsync();
            await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("usage-page-custom-table"), FullPage = true });
        });
    }
}

using Backside.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Backside.Tests.E2E;

/// <summary>The 404 page in a browser: loaded directly and reached by navigating inside the app.</summary>
[Collection(BrowserCollection.Name)]
public class NotFoundJourneyTests(BrowserAppFactory app) : IClassFixture<BrowserAppFactory>
{
    [Fact]
    public async Task An_unknown_address_shows_the_branded_404_whether_loaded_or_navigated_to()
    {
        await Browser.RunJourneyAsync(app.BaseUrl, "not-found-journey", async page =>
        {
            var response = await page.GotoAsync("/no-such-page");
            Assert.Equal(404, response!.Status);
            await ExpectNotFoundPageAsync(page);
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Go to API keys" })).ToHaveCountAsync(0);
            foreach (var (width, height) in new[] { (1366, 768), (390, 844) })
            {
                await page.SetViewportSizeAsync(width, height);
                await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath($"not-found-{width}x{height}"), FullPage = true });
            }
            await page.SetViewportSizeAsync(1440, 1000);

            await page.GetByRole(AriaRole.Link, new() { Name = "Go to the home page" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(app.BaseUrl + "/");

            var email = $"lost-{Guid.NewGuid():N}@example.com";
            await page.RegisterAndConfirmAsync(email);
            await page.SignInAsync(email);
            await page.OpenApiKeysAsync();
            // In-app navigation: the router, not the server, finds nothing at the address.
            await page.EvaluateAsync("Blazor.navigateTo('/settings/no-such-page')");
            await ExpectNotFoundPageAsync(page);
            await page.GetByRole(AriaRole.Link, new() { Name = "Go to API keys" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API keys", Exact = true })).ToBeVisibleAsync();
        });
    }

    private static async Task ExpectNotFoundPageAsync(IPage page)
    {
        await Expect(page).ToHaveTitleAsync("Page not found · Backside");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Page not found", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Go to the home page" })).ToBeVisibleAsync();
    }
}

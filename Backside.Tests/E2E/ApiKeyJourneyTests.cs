using System.Net;
using System.Net.Http.Headers;
using Backside.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Backside.Tests.E2E;

/// <summary>What a person does in the browser, end to end: register, sign in, create a key, use it, revoke it.</summary>
[Collection(BrowserCollection.Name)]
public class ApiKeyJourneyTests(BrowserAppFactory app) : IClassFixture<BrowserAppFactory>
{
    private const string KeyName = "CI deploy";

    [Fact]
    public async Task Person_registers_creates_a_key_uses_it_and_revokes_it()
    {
        var baseUrl = app.BaseUrl;
        await Browser.RunJourneyAsync(baseUrl, "api-key-journey", page => WalkThroughAsync(page, baseUrl));
    }

    private async Task WalkThroughAsync(IPage page, string baseUrl)
    {
        var email = $"dev-{Guid.NewGuid():N}@example.com";

        await page.RegisterAndConfirmAsync(email);
        await page.SignInAsync(email);

        await page.OpenApiKeysAsync();

        var secret = await page.CreateKeyAsync(KeyName);

        using var api = app.CreateDefaultClient(new Uri(baseUrl));
        var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/v1/contacts") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", secret) } };
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(bearer)).StatusCode);
        var header = new HttpRequestMessage(HttpMethod.Get, "/api/v1/contacts") { Headers = { { "X-API-Key", secret } } };
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(header)).StatusCode);

        await WaitForUsageFlushAsync();
        await page.ReloadAsync();
        await page.WaitForInteractivityAsync();
        var row = page.Locator("tr", new() { HasText = KeyName });
        await Expect(row.GetByTestId("api-key-last-used")).ToHaveTextAsync("Just now");
        await Expect(row.GetByTestId("api-key-status")).ToHaveTextAsync("Active");
        await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("api-keys-list"), FullPage = true });

        await row.GetByRole(AriaRole.Link, new() { Name = KeyName }).ClickAsync();
        await Expect(page.GetByTestId("usage-summary")).ToContainTextAsync("2 requests · 2 succeeded");
        await Expect(page.GetByTestId("usage-chart")).ToHaveAttributeAsync("data-total", "2");
        await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("api-key-usage"), FullPage = true });
        await page.OpenApiKeysAsync();
        row = page.Locator("tr", new() { HasText = KeyName });

        await row.GetByRole(AriaRole.Button, new() { Name = $"Revoke {KeyName}" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog);
        await Expect(confirm).ToContainTextAsync("cannot be undone");
        await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("api-keys-revoke-dialog") });
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Revoke key" }).ClickAsync();
        await Expect(page.GetByText($"Revoked '{KeyName}'")).ToBeVisibleAsync();

        var afterRevoke = await api.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/contacts")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", secret) },
        });
        await afterRevoke.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "api_key_revoked");
        await Expect(page.Locator("tr", new() { HasText = KeyName })).ToHaveCountAsync(0);

        await page.GetByTestId("status-filter").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Revoked", Exact = true }).ClickAsync();
        await Expect(page.Locator("tr", new() { HasText = KeyName }).GetByTestId("api-key-status")).ToHaveTextAsync("Revoked");
        const string background = "() => getComputedStyle(document.querySelector('.mud-appbar')).backgroundColor";
        var lightAppBar = await page.EvaluateAsync<string>(background);
        await page.GetByLabel("Toggle dark theme").ClickAsync();
        await page.WaitForFunctionAsync($"() => ({background})() !== '{lightAppBar}'");
        await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("api-keys-list-dark"), FullPage = true });
    }

    private async Task WaitForUsageFlushAsync()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            await using var db = app.OpenDatabase();
            var key = await db.ApiKeys.SingleAsync(k => k.Name == KeyName);
            if (key.LastUsedAt is not null)
            {
                Assert.Equal("127.0.0.1", key.LastUsedIp);
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail("last_used_at was not written within 5 seconds.");
    }
}

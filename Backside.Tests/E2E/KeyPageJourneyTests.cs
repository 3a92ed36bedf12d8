using System.Net;
using System.Net.Http.Headers;
using Backside.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Backside.Tests.E2E;

/// <summary>The key page: rotate a key, deactivate and activate it, and read the audit log.</summary>
[Collection(BrowserCollection.Name)]
public class KeyPageJourneyTests(BrowserAppFactory app) : IClassFixture<BrowserAppFactory>
{
    private const string KeyName = "Nightly export";

    [Fact]
    public async Task Person_rotates_deactivates_and_activates_a_key_and_reads_the_audit_log()
    {
        var baseUrl = app.BaseUrl;
        using var api = app.CreateDefaultClient(new Uri(baseUrl));
        await Browser.RunJourneyAsync(baseUrl, "key-page-journey", async page =>
        {
            var email = $"ops-{Guid.NewGuid():N}@example.com";
            await page.RegisterAndConfirmAsync(email);
            await page.SignInAsync(email);
            await page.OpenApiKeysAsync();
            var oldSecret = await page.CreateKeyAsync(KeyName);

            await page.GetByRole(AriaRole.Link, new() { Name = KeyName }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = KeyName })).ToBeVisibleAsync();
            await page.WaitForInteractivityAsync();

            var newSecret = await RotateAsync(page);
            await ExpectApiAsync(api, oldSecret, HttpStatusCode.Unauthorized, "invalid_api_key");
            await ExpectApiAsync(api, newSecret, HttpStatusCode.OK);

            await ConfirmActionAsync(page, "Deactivate");
            await Expect(page.GetByTestId("api-key-status").First).ToHaveTextAsync("Inactive");
            await ExpectApiAsync(api, newSecret, HttpStatusCode.Unauthorized, "api_key_inactive");

            await ConfirmActionAsync(page, "Activate");
            await Expect(page.GetByTestId("api-key-status").First).ToHaveTextAsync("Active");
            await ExpectApiAsync(api, newSecret, HttpStatusCode.OK);

            var history = page.GetByTestId("key-history");
            await Expect(history).ToContainTextAsync("Key rotated");
            await Expect(history).ToContainTextAsync("Key deactivated");
            await Expect(history).ToContainTextAsync("Key activated");
            await Expect(history).ToContainTextAsync($"by {email}");
            await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("api-key-page"), FullPage = true });

            await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit log", Exact = true })).ToBeVisibleAsync();
            await page.WaitForInteractivityAsync();
            await Expect(page.GetByTestId("audit-grid")).ToContainTextAsync("Key rotated");
            await page.GetByRole(AriaRole.Button, new() { Name = "Verify integrity" }).ClickAsync();
            await Expect(page.GetByTestId("audit-verification")).ToContainTextAsync("Chain intact: all 5 events check out.");
            await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("audit-log-page"), FullPage = true });

            await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Usage", Exact = true }).ClickAsync();
            await Expect(page.GetByTestId("top-keys")).ToContainTextAsync(KeyName);
            await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("usage-page"), FullPage = true });
        });
    }

    private static async Task<string> RotateAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate", Exact = true }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("gets a new secret");
        await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("api-key-rotate-dialog") });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Rotate secret" }).ClickAsync();
        var revealed = dialog.GetByTestId("new-api-key");
        await Expect(revealed).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^bsk_live_[0-9A-Za-z]{43}$"));
        var secret = (await revealed.TextContentAsync())!;
        await Expect(dialog.GetByTestId("grace-notice")).ToHaveTextAsync("The old secret has stopped working.");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "I have copied it" }).ClickAsync();
        await Expect(revealed).ToHaveCountAsync(0);
        return secret;
    }

    private static async Task ConfirmActionAsync(IPage page, string action)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = action, Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = action, Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
    }

    private static async Task ExpectApiAsync(HttpClient api, string secret, HttpStatusCode status, string? code = null)
    {
        var response = await api.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/contacts")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", secret) },
        });
        if (code is null)
            Assert.Equal(status, response.StatusCode);
        else
            await response.ShouldBeProblemAsync(status, code);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Backside.Core.Audit;
using Backside.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Backside.Tests.E2E;

/// <summary>Security changes made in the dashboard end the other sessions; closing an account takes its keys with it.</summary>
[Collection(BrowserCollection.Name)]
public class AccountSecurityJourneyTests(BrowserAppFactory app) : IClassFixture<BrowserAppFactory>
{
    [Fact]
    public async Task Changing_the_password_signs_out_the_other_browser_and_ends_api_sessions_but_not_this_browser()
    {
        var baseUrl = app.BaseUrl;
        await Browser.RunJourneyAsync(baseUrl, "password-change-journey", async page =>
        {
            var email = $"careful-{Guid.NewGuid():N}@example.com";
            await page.RegisterAndConfirmAsync(email);
            await page.SignInAsync(email);
            await using var otherBrowser = await page.Context.Browser!.NewContextAsync(new() { BaseURL = baseUrl });
            var other = await otherBrowser.NewPageAsync();
            await other.SignInAsync(email);
            using var api = app.CreateDefaultClient(new Uri(baseUrl));
            var login = await api.PostAsJsonAsync("/api/v1/auth/login", new { email, password = BacksideAppFactory.Password });
            var refresh = (await login.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("refresh_token").GetString()!;

            await page.GotoAsync("/Account/Manage/ChangePassword");
            await page.GetByLabel("Old password").FillAsync(BacksideAppFactory.Password);
            await page.GetByLabel("New password").FillAsync("Another-Horse-10-long");
            await page.GetByLabel("Confirm password").FillAsync("Another-Horse-10-long");
            await page.GetByRole(AriaRole.Button, new() { Name = "Update password" }).ClickAsync();
            await Expect(page.GetByText("Your password has been changed")).ToBeVisibleAsync();

            await page.GotoAsync("/Account/Manage");
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = email, Exact = true })).ToBeVisibleAsync();
            await other.GotoAsync("/Account/Manage");
            await Expect(other.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true })).ToBeVisibleAsync();
            var refused = await api.PostAsJsonAsync("/api/v1/auth/refresh", new { refresh_token = refresh });
            await refused.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "refresh_token_reused");
        });
    }

    [Fact]
    public async Task Deleting_the_account_says_which_keys_go_with_it_then_revokes_them()
    {
        var baseUrl = app.BaseUrl;
        await Browser.RunJourneyAsync(baseUrl, "account-deletion-journey", async page =>
        {
            var email = $"leaving-{Guid.NewGuid():N}@example.com";
            await page.RegisterAndConfirmAsync(email);
            await page.SignInAsync(email);
            await page.OpenApiKeysAsync();
            var secret = await page.CreateKeyAsync("Nightly export");
            using var api = app.CreateDefaultClient(new Uri(baseUrl));
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/contacts")).StatusCode);

            await page.GotoAsync("/Account/Manage/DeletePersonalData");
            var warning = page.GetByTestId("keys-revoked-on-delete");
            await Expect(warning).ToContainTextAsync("only Owner");
            await Expect(warning).ToContainTextAsync($"{email}'s organization: 1 key will be revoked.");
            await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("account-deletion-warning"), FullPage = true });
            await page.GetByLabel("Password").FillAsync(BacksideAppFactory.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Delete data and close my account" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Log in" }).First).ToBeVisibleAsync();

            await (await api.GetAsync("/api/v1/contacts")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "api_key_revoked");
            await using var db = app.OpenDatabase();
            Assert.False(await db.Users.AnyAsync(u => u.Email == email));
            var revocation = await db.AuditEvents.SingleAsync(e => e.Action == AuditActions.ApiKeyRevoked && e.ApiKeyId != null
                && db.ApiKeys.Any(k => k.Id == e.ApiKeyId && k.Name == "Nightly export" && k.OrganizationId == e.OrganizationId));
            Assert.Equal("127.0.0.1", revocation.IpAddress);
        });
    }
}

using Backside.Core.Identity;
using Backside.Tests.Infrastructure;
using Backside.Tests.Payments;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Backside.Tests.E2E;

/// <summary>Two agents pay for requests; the platform operator (confirmed, with two-factor) reads the Payments page; anyone else never sees it.</summary>
[Collection(BrowserCollection.Name)]
public class PaymentsJourneyTests
{
    [Fact]
    public async Task Operator_sees_settled_payments_with_totals_and_finds_a_wallet()
    {
        await using var app = await X402AppFactory.StartOnKestrelAsync();
        var baseUrl = app.BaseUrl;
        using var client = app.CreateDefaultClient(new Uri(baseUrl));
        var (first, second) = (new TestWallet(), new TestWallet());
        (await PaidRequests.PayAsync(client, first, DateTimeOffset.UtcNow)).EnsureSuccessStatusCode();
        (await PaidRequests.PayAsync(client, first, DateTimeOffset.UtcNow, version: 1)).EnsureSuccessStatusCode();
        (await PaidRequests.PayAsync(client, second, DateTimeOffset.UtcNow)).EnsureSuccessStatusCode();

        await Browser.RunJourneyAsync(baseUrl, "payments-journey", async page =>
        {
            var stranger = $"member-{Guid.NewGuid():N}@example.com";
            await page.RegisterAndConfirmAsync(stranger);
            await page.SignInAsync(stranger);
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "API Keys", Exact = true })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Payments" })).ToHaveCountAsync(0);
            await page.GotoAsync($"{baseUrl}/operator/payments");
            await Expect(page.GetByTestId("payments-grid")).ToHaveCountAsync(0);
            await page.Context.ClearCookiesAsync();

            await page.RegisterAndConfirmAsync(X402AppFactory.OperatorEmail);
            await page.SignInAsync(X402AppFactory.OperatorEmail);
            // A listed, confirmed address is not enough: an operator also has two-factor on.
            await page.WaitForInteractivityAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Payments" })).ToHaveCountAsync(0);
            Assert.Equal(403, (await page.GotoAsync($"{baseUrl}/operator/payments"))!.Status);
            var (secret, _) = await page.EnrolAuthenticatorAsync(X402AppFactory.OperatorEmail);
            await page.Context.ClearCookiesAsync();
            await page.SignInWithCodeAsync(X402AppFactory.OperatorEmail, TotpVerifier.Compute(secret, DateTimeOffset.UtcNow.AddSeconds(30)));
            await page.WaitForInteractivityAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "Payments" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Payments", Exact = true })).ToBeVisibleAsync();
            await page.WaitForInteractivityAsync();

            var totals = page.GetByTestId("payment-totals");
            await Expect(totals).ToContainTextAsync("3");
            await Expect(totals).ToContainTextAsync("0.03 USDC");
            await Expect(totals).ToContainTextAsync("2");
            var grid = page.GetByTestId("payments-grid");
            await Expect(grid.GetByText(first.Address)).ToHaveCountAsync(2);
            await Expect(grid).ToContainTextAsync("GET /api/v1/contacts");
            await Expect(grid).ToContainTextAsync("x402 v1");
            await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("payments-page"), FullPage = true });

            await grid.GetByPlaceholder("Search by wallet, route or transaction").FillAsync(second.Address[..12]);
            await Expect(grid.GetByText(second.Address)).ToHaveCountAsync(1);
            await Expect(grid.GetByText(first.Address)).ToHaveCountAsync(0);
        });
    }
}

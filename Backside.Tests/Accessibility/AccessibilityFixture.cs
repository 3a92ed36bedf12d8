using System.Net.Http.Headers;
using Backside.Core.ApiKeys;
using Backside.Core.Common;
using Backside.Core.Identity;
using Backside.Tests.Infrastructure;
using Backside.Tests.Organizations;
using Backside.Tests.Payments;
using Backside.Web.Components.Pages.Invitations;
using Microsoft.Playwright;

namespace Backside.Tests.Accessibility;

/// <summary>
/// One app and one Chromium for the whole accessibility run, with people whose pages have something to show: an owner
/// with active and inactive keys, usage and history; a newcomer without keys; an invitee; the operator with two-factor
/// and a few settled payments. Each is signed in once; a check opens a fresh context with their cookies.
/// </summary>
public sealed class AccessibilityFixture : IAsyncLifetime
{
    public const string KeyName = "Billing export";

    private readonly Dictionary<Persona, string?> cookies = [];

    private IPlaywright? playwright;

    private IBrowser? browser;

    public AccessibilityAppFactory App { get; private set; } = default!;

    /// <summary>The owner's active live key, for the key page and its dialogs.</summary>
    public string KeyId { get; private set; } = "";

    /// <summary>The invitee's accept page, with its token.</summary>
    public string InvitationPath { get; private set; } = "";

    public async Task InitializeAsync()
    {
        App = await AccessibilityAppFactory.StartAsync();
        var baseUrl = App.BaseUrl;
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(Infrastructure.Browser.LaunchOptions);

        var ownerEmail = $"owner-{Guid.NewGuid():N}@example.com";
        var owner = await App.CreateMemberAsync(ownerEmail);
        await App.ChangePlanAsync(owner.OrganizationId, BacksideAppFactory.UnboundedPlan); // the reveal check makes a key per run
        var key = await App.CreateKeyAsync(owner, ["contacts:read", "usage:read"], name: KeyName);
        KeyId = key.Key.Id;
        await App.CreateKeyAsync(owner, scopes: null, environment: "test", expiresAt: DateTimeOffset.UtcNow.AddDays(30), name: "Staging, full access");
        var paused = await App.CreateKeyAsync(owner, ["contacts:write"], name: "Paused import");
        Assert.True((await App.WithServiceAsync<ApiKeyService, OperationResult<ApiKey>>(s => s.DeactivateAsync(owner, paused.Key.Id))).Succeeded);

        // Usage of each outcome, so the Usage page draws its chart and tables.
        using var api = App.CreateDefaultClient(new Uri(baseUrl));
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Secret);
        for (var i = 0; i < 3; i++)
            (await api.GetAsync("/api/v1/contacts")).EnsureSuccessStatusCode();
        await api.PostAsync("/api/v1/contacts", new StringContent("{}", System.Text.Encoding.UTF8, "application/json")); // 403: no write scope

        using var anonymous = App.CreateDefaultClient(new Uri(baseUrl));
        (await PaidRequests.PayAsync(anonymous, new TestWallet(), DateTimeOffset.UtcNow)).EnsureSuccessStatusCode();
        (await PaidRequests.PayAsync(anonymous, new TestWallet(), DateTimeOffset.UtcNow, version: 1)).EnsureSuccessStatusCode();

        var invitee = InvitationTestSteps.NewEmail();
        await App.CreateMemberAsync(invitee);
        var invitation = await App.InviteAsync(owner, invitee);
        InvitationPath = "/" + InvitationLinks.AcceptPath(invitation.Token);

        var newcomer = $"newcomer-{Guid.NewGuid():N}@example.com";
        await App.CreateMemberAsync(newcomer);
        cookies[Persona.Anonymous] = null;
        cookies[Persona.Owner] = await SignInAsync(page => page.SignInAsync(ownerEmail));
        cookies[Persona.Newcomer] = await SignInAsync(page => page.SignInAsync(newcomer));
        cookies[Persona.Invitee] = await SignInAsync(page => page.SignInAsync(invitee));

        // An operator is a listed address with two-factor on: enrol, then sign in with a later code.
        await App.CreateMemberAsync(AccessibilityAppFactory.OperatorEmail);
        var secret = "";
        await SignInAsync(async page =>
        {
            await page.SignInAsync(AccessibilityAppFactory.OperatorEmail);
            (secret, _) = await page.EnrolAuthenticatorAsync(AccessibilityAppFactory.OperatorEmail);
        });
        cookies[Persona.Operator] = await SignInAsync(page =>
            page.SignInWithCodeAsync(AccessibilityAppFactory.OperatorEmail, TotpVerifier.Compute(secret, DateTimeOffset.UtcNow.AddSeconds(30))));
    }

    /// <summary>A fresh page as <paramref name="persona"/>, at the size and colour scheme asked for; dispose the context after.</summary>
    public async Task<IBrowserContext> NewContextAsync(Persona persona, int width, int height, bool dark) =>
        await browser!.NewContextAsync(new()
        {
            BaseURL = App.BaseUrl,
            ViewportSize = new() { Width = width, Height = height },
            ColorScheme = dark ? ColorScheme.Dark : ColorScheme.Light,
            StorageState = cookies[persona],
        });

    public async Task DisposeAsync()
    {
        if (browser is not null)
            await browser.DisposeAsync();
        playwright?.Dispose();
        await App.DisposeAsync();
    }

    /// <summary>Runs <paramref name="signIn"/> in a fresh context and returns the cookies it ends with.</summary>
    private async Task<string> SignInAsync(Func<IPage, Task> signIn)
    {
        await using var context = await browser!.NewContextAsync(new() { BaseURL = App.BaseUrl, ViewportSize = new() { Width = 1366, Height = 768 } });
        var page = await context.NewPageAsync();
        await signIn(page);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        return await context.StorageStateAsync();
    }
}

using Backside.Core.ApiKeys;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Web.Components.Pages.Settings.ApiKeys;
using Backside.Web.Dashboard;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace Backside.Tests.Components;

/// <summary>
/// The keys pages hide what the person's role cannot do (Core refuses it anyway): no lifecycle buttons for a Viewer,
/// test keys only for a Developer, the scopes their role holds; and, when the organization requires two-factor
/// sign-in, disabled buttons with a banner saying where to turn it on.
/// </summary>
public sealed class KeyRoleButtonsTests : IAsyncLifetime
{
    private const string OrganizationId = "org_0193a0b1c2d37e4f8a9b0c1d2e3f4a5b";
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Lifecycle = ["Edit", "Rotate", "Deactivate", "Revoke"];
    private readonly BunitContext bunit = new();
    private readonly DialogTestHost dialogs = new();

    public KeyRoleButtonsTests()
    {
        bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        bunit.Services.AddMudServices();
    }

    [Theory]
    [InlineData(OrganizationRole.Owner, true, true)]
    [InlineData(OrganizationRole.Admin, true, true)]
    [InlineData(OrganizationRole.Developer, false, true)]
    [InlineData(OrganizationRole.Viewer, false, false)]
    public void The_key_page_offers_the_lifecycle_buttons_only_for_keys_the_role_manages(OrganizationRole role, bool live, bool test)
    {
        var liveButtons = Buttons(RenderActions(Access(role), Key(livemode: true)));
        var testButtons = Buttons(RenderActions(Access(role), Key(livemode: false)));

        Assert.Equal(live ? Lifecycle : [], liveButtons);
        Assert.Equal(test ? Lifecycle : [], testButtons);
    }

    [Fact]
    public void A_developer_gets_no_buttons_for_a_test_key_stronger_than_their_role()
    {
        var fullAccess = Key(livemode: false, fullAccess: true);

        Assert.Empty(Buttons(RenderActions(Access(OrganizationRole.Developer), fullAccess)));
    }

    [Fact]
    public void Without_the_required_two_factor_the_buttons_are_disabled_and_the_banner_says_where_to_turn_it_on()
    {
        var access = Access(OrganizationRole.Owner, requireTwoFactor: true, hasTwoFactor: false);

        var actions = RenderActions(access, Key(livemode: true));
        var banner = bunit.Render<KeyPolicyBanner>(p => p.Add(b => b.Access, access));

        Assert.All(actions.FindAll("button"), b => Assert.True(b.HasAttribute("disabled")));
        var link = banner.Find("[data-testid=two-factor-required-banner] a");
        Assert.Equal("Account/Manage/TwoFactorAuthentication", link.GetAttribute("href"));
        Assert.Contains("requires two-factor authentication", banner.Markup);
    }

    [Fact]
    public void With_two_factor_on_the_buttons_work_and_no_banner_shows()
    {
        var access = Access(OrganizationRole.Owner, requireTwoFactor: true, hasTwoFactor: true);

        var actions = RenderActions(access, Key(livemode: true));
        var banner = bunit.Render<KeyPolicyBanner>(p => p.Add(b => b.Access, access));

        Assert.All(actions.FindAll("button"), b => Assert.False(b.HasAttribute("disabled")));
        Assert.Empty(banner.FindAll("[data-testid]"));
    }

    [Fact]
    public void A_viewer_is_not_nudged_about_creating_keys()
    {
        var banner = bunit.Render<KeyPolicyBanner>(p => p.Add(b => b.Access, Access(OrganizationRole.Viewer, hasTwoFactor: false)));

        Assert.Empty(banner.FindAll("[data-testid]"));
    }

    [Theory]
    [InlineData(OrganizationRole.Owner, true, true)]
    [InlineData(OrganizationRole.Admin, true, true)]
    [InlineData(OrganizationRole.Developer, true, false)]
    [InlineData(OrganizationRole.Viewer, false, false)]
    public void Create_is_offered_by_role(OrganizationRole role, bool create, bool live)
    {
        var access = Access(role);

        Assert.Equal((create, live), (access.CanCreate, access.CanCreateLive));
    }

    [Fact]
    public async Task A_developer_creates_only_test_keys_with_the_scopes_their_role_holds()
    {
        var developer = Caller.ForMember(dialogs.Owner.OrganizationId, OrganizationRole.Developer, "usr_developer");

        var (host, _) = await dialogs.OpenAsync(new DialogParameters<CreateApiKeyDialog> { { d => d.Caller, developer } });

        var environments = host.FindAll("[data-testid=environment] label").Select(l => l.TextContent.Trim()).ToList();
        Assert.Equal(["Test"], environments);
        Assert.Single(host.FindAll("[data-testid=test-only-note]"));
        Assert.DoesNotContain("Full access to every API", host.Markup);
        Assert.Equal(["None", "Read"], Choices(host, "Members"));
        Assert.Equal(["None", "Read"], Choices(host, "Organization"));
        Assert.Equal(["None", "Read", "Write"], Choices(host, "API keys"));
    }

    [Fact]
    public async Task An_owner_creates_keys_of_both_modes_with_any_scope()
    {
        var owner = Caller.ForMember(dialogs.Owner.OrganizationId, OrganizationRole.Owner, "usr_test");

        var (host, _) = await dialogs.OpenAsync(new DialogParameters<CreateApiKeyDialog> { { d => d.Caller, owner } });

        Assert.Equal(["Live", "Test"], host.FindAll("[data-testid=environment] label").Select(l => l.TextContent.Trim()).ToList());
        Assert.Contains("Full access to every API", host.Markup);
    }

    [Fact]
    public async Task A_capped_lifetime_makes_the_expiry_of_a_live_key_required_in_the_form()
    {
        var owner = Caller.ForMember(dialogs.Owner.OrganizationId, OrganizationRole.Owner, "usr_test");

        var (host, _) = await dialogs.OpenAsync(new DialogParameters<CreateApiKeyDialog>
        {
            { d => d.Caller, owner }, { d => d.Policy, OrganizationKeyPolicy.Default with { MaxLiveKeyLifetimeDays = 30 } },
        });

        Assert.Contains("expire within 30 days", host.Markup);
    }

    [Fact]
    public async Task A_developer_editing_a_test_key_is_offered_only_their_roles_scopes()
    {
        var key = (await dialogs.CreateKeyAsync([Scopes.ContactsRead])).Key;
        var developer = Caller.ForMember(dialogs.Owner.OrganizationId, OrganizationRole.Developer, "usr_developer");

        var (host, _) = await dialogs.OpenAsync(new DialogParameters<EditApiKeyDialog> { { d => d.Caller, developer }, { d => d.Key, key } });

        Assert.DoesNotContain("Full access to every API", host.Markup);
        Assert.Equal(["None", "Read"], Choices(host, "Members"));
    }

    private static List<string> Choices(IRenderedComponent<IComponent> host, string domain) =>
        host.FindAll(".mud-dialog tr").Single(r => r.QuerySelector("b")?.TextContent == domain)
            .QuerySelectorAll("label").Select(l => l.TextContent.Trim()).ToList();

    private IRenderedComponent<ApiKeyActionButtons> RenderActions(KeyManagement access, ApiKey key) =>
        bunit.Render<ApiKeyActionButtons>(p => p.Add(b => b.Key, key).Add(b => b.Status, key.EffectiveStatus(Now)).Add(b => b.Access, access));

    private static string[] Buttons(IRenderedComponent<ApiKeyActionButtons> actions) =>
        actions.FindAll("button").Select(b => b.TextContent.Trim()).ToArray();

    private static KeyManagement Access(OrganizationRole role, bool requireTwoFactor = false, bool hasTwoFactor = true) =>
        new(Caller.ForMember(OrganizationId, role, "usr_person"),
            OrganizationKeyPolicy.Default with { RequireTwoFactorForKeys = requireTwoFactor }, hasTwoFactor);

    private static ApiKey Key(bool livemode, bool fullAccess = false) => new()
    {
        Id = "key_0193a0b1c2d37e4f8a9b0c1d2e3f4a5b",
        OrganizationId = OrganizationId,
        Name = "Worker",
        Livemode = livemode,
        Scopes = fullAccess ? null : [Scopes.ContactsRead],
        CreatedBy = "usr_test",
        SecretHash = new byte[32],
        Hint = livemode ? "bsk_live_a1B2…x9Yz" : "bsk_test_a1B2…x9Yz",
        CreatedAt = Now,
        SecretCreatedAt = Now,
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await bunit.DisposeAsync();
        await dialogs.DisposeAsync();
    }
}

using Backside.Core.ApiKeys;
using Backside.Web.Components.Shared;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Backside.Tests.Components;

public sealed class ApiKeyBadgesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly BunitContext bunit = new();

    public ApiKeyBadgesTests()
    {
        bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        bunit.Services.AddMudServices();
        bunit.Services.Configure<ApiKeyPolicyOptions>(o => o.ExpiryWarningDays = 7);
    }

    [Fact]
    public void A_fresh_key_without_expiry_has_no_badge()
    {
        var badges = Render(Key(secretAge: TimeSpan.FromDays(10), expiresIn: null));

        Assert.Empty(badges.FindAll("[data-testid]"));
    }

    [Fact]
    public void A_key_expiring_within_the_warning_period_says_when()
    {
        var badges = Render(Key(secretAge: TimeSpan.FromDays(1), expiresIn: TimeSpan.FromDays(3)));

        Assert.Equal("Expires in 3 days", badges.Find("[data-testid=expiring-badge]").TextContent.Trim());
        Assert.Empty(badges.FindAll("[data-testid=rotate-badge]"));
    }

    [Fact]
    public void A_key_expiring_later_than_the_warning_period_has_no_warning()
    {
        var badges = Render(Key(secretAge: TimeSpan.FromDays(1), expiresIn: TimeSpan.FromDays(8)));

        Assert.Empty(badges.FindAll("[data-testid=expiring-badge]"));
    }

    [Fact]
    public void A_secret_older_than_the_organizations_rotation_reminder_asks_to_be_rotated()
    {
        var badges = Render(Key(secretAge: TimeSpan.FromDays(90), expiresIn: null));

        Assert.Contains("Rotate me", badges.Find("[data-testid=rotate-badge]").TextContent);
    }

    [Fact]
    public void The_rotation_reminder_is_the_organizations_own_not_a_global_setting()
    {
        var key = Key(secretAge: TimeSpan.FromDays(30), expiresIn: null);

        var strict = Render(key, OrganizationKeyPolicy.Default with { RotationReminderDays = 30 });
        var lenient = Render(key, OrganizationKeyPolicy.Default with { RotationReminderDays = 31 });

        Assert.Single(strict.FindAll("[data-testid=rotate-badge]"));
        Assert.Empty(lenient.FindAll("[data-testid=rotate-badge]"));
    }

    [Fact]
    public async Task A_key_created_by_a_former_member_says_so_and_rotates_in_one_click()
    {
        var key = Key(secretAge: TimeSpan.FromDays(1), expiresIn: null);
        key.CreatedByFormerMember = true;
        var rotated = 0;

        var badges = bunit.Render<ApiKeyBadges>(p => p.Add(b => b.Key, key).Add(b => b.Now, Now)
            .Add(b => b.Policy, OrganizationKeyPolicy.Default).Add(b => b.OnRotate, () => rotated++));
        await badges.Find("[data-testid=former-member-rotate]").ClickAsync(new());

        Assert.Equal("Created by a former member", badges.Find("[data-testid=former-member-badge]").TextContent.Trim());
        Assert.Equal(1, rotated);
    }

    [Fact]
    public void Who_may_not_rotate_the_key_sees_the_warning_without_the_button()
    {
        var key = Key(secretAge: TimeSpan.FromDays(1), expiresIn: null);
        key.CreatedByFormerMember = true;

        var badges = Render(key);

        Assert.Single(badges.FindAll("[data-testid=former-member-badge]"));
        Assert.Empty(badges.FindAll("[data-testid=former-member-rotate]"));
    }

    [Fact]
    public void A_key_of_a_current_member_has_no_former_member_warning()
    {
        var badges = Render(Key(secretAge: TimeSpan.FromDays(1), expiresIn: null));

        Assert.Empty(badges.FindAll("[data-testid=former-member-badge]"));
    }

    private IRenderedComponent<ApiKeyBadges> Render(ApiKey key, OrganizationKeyPolicy? policy = null) =>
        bunit.Render<ApiKeyBadges>(p => p.Add(b => b.Key, key).Add(b => b.Now, Now).Add(b => b.Policy, policy ?? OrganizationKeyPolicy.Default));

    private static ApiKey Key(TimeSpan secretAge, TimeSpan? expiresIn) => new()
    {
        Id = "key_0193a0b1c2d37e4f8a9b0c1d2e3f4a5b",
        OrganizationId = "org_0193a0b1c2d37e4f8a9b0c1d2e3f4a5b",
        Name = "Worker",
        CreatedBy = "usr_test",
        SecretHash = new byte[32],
        Hint = "bsk_live_a1B2…x9Yz",
        CreatedAt = Now - secretAge,
        SecretCreatedAt = Now - secretAge,
        ExpiresAt = Now + expiresIn,
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await bunit.DisposeAsync();
}

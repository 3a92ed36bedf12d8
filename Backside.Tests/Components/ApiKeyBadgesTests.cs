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
        bunit.Services.Configure<ApiKeyPolicyOptions>(o => (o.RotationPolicyDays, o.ExpiryWarningDays) = (90, 7));
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
    public void A_secret_older_than_the_rotation_policy_asks_to_be_rotated()
    {
        var badges = Render(Key(secretAge: TimeSpan.FromDays(90), expiresIn: null));

        Assert.Contains("Rotate me", badges.Find("[data-testid=rotate-badge]").TextContent);
    }

    private IRenderedComponent<ApiKeyBadges> Render(ApiKey key) =>
        bunit.Render<ApiKeyBadges>(p => p.Add(b => b.Key, key).Add(b => b.Now, Now));

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

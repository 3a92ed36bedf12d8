using AngleSharp.Dom;
using Backside.Core;
using Backside.Core.ApiKeys;
using Backside.Core.Data;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Web.Components.Pages.Settings.ApiKeys;
using Bunit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;

namespace Backside.Tests.Components;

/// <summary>bunit's context is held, not inherited: MudBlazor's services must be disposed asynchronously.</summary>
public sealed class CreateApiKeyDialogTests : IAsyncLifetime
{
    private readonly BunitContext bunit = new();
    private const string OrganizationId = "org_0193a0b1c2d37e4f8a9b0c1d2e3f4a5b";
    private readonly SqliteConnection keepAlive;
    private readonly Caller owner = new(OrganizationId, CallerKind.User, "usr_test", ScopeSet.Full, Livemode: true);

    public CreateApiKeyDialogTests()
    {
        // A named in-memory database lives as long as one connection to it stays open.
        var connectionString = $"Data Source=dialog-{Guid.NewGuid():N};Mode=Memory;Cache=Shared";
        keepAlive = new SqliteConnection(connectionString);
        keepAlive.Open();

        bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        bunit.Services.AddMudServices();
        bunit.Services.AddBacksideCore(_ => connectionString);
        bunit.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero)));

        using var db = NewDatabase();
        db.Database.Migrate();
        db.Organizations.Add(new Organization { Id = OrganizationId, Name = "Test organization" });
        db.SaveChanges();
    }

    [Fact]
    public async Task Name_is_required_and_nothing_is_created_without_one()
    {
        var (host, _) = await OpenDialogAsync();

        await ClickAsync(host, "Create key");

        host.WaitForAssertion(() => Assert.Contains("Give the key a name", host.Markup));
        Assert.Empty(host.FindAll("[data-testid=new-api-key]"));
        Assert.Equal(0, await CountKeysAsync());
    }

    [Fact]
    public async Task A_permission_is_required_unless_full_access_is_on()
    {
        var (host, _) = await OpenDialogAsync();
        await NameInput(host).InputAsync("CI deploy");

        await ClickAsync(host, "Create key");

        host.WaitForAssertion(() => Assert.Contains("Choose at least one permission", host.Markup));
        Assert.Equal(0, await CountKeysAsync());
    }

    [Fact]
    public async Task Created_key_is_shown_once_and_gone_after_closing()
    {
        var (host, reference) = await OpenDialogAsync();
        await NameInput(host).InputAsync("CI deploy");
        await host.Find(".mud-dialog input[type=checkbox]").ChangeAsync(true); // full access

        await ClickAsync(host, "Create key");

        var secret = host.WaitForElement("[data-testid=new-api-key]").TextContent.Trim();
        Assert.True(ApiKeyFormat.TryParse(secret, out var livemode) && livemode);
        Assert.Contains("never show it again", host.Markup);
        await using (var db = NewDatabase())
        {
            var stored = await db.ApiKeys.SingleAsync();
            Assert.Equal(ApiKeyFormat.Hash(secret), stored.SecretHash);
            Assert.Null(stored.Scopes);
        }

        await ClickAsync(host, "I have copied it");

        host.WaitForAssertion(() => Assert.Empty(host.FindAll(".mud-dialog")));
        Assert.DoesNotContain(secret, host.Markup);
        var result = await reference.Result;
        Assert.False(result!.Canceled);
        Assert.StartsWith("key_", (string)result.Data!);
    }

    private async Task<(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> Host, IDialogReference Reference)> OpenDialogAsync()
    {
        var host = bunit.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
        });
        var dialogs = bunit.Services.GetRequiredService<IDialogService>();
        var parameters = new DialogParameters<CreateApiKeyDialog> { { d => d.Caller, owner } };
        IDialogReference? reference = null;
        await host.InvokeAsync(async () => reference = await dialogs.ShowAsync<CreateApiKeyDialog>("Create API key", parameters));
        host.WaitForElement(".mud-dialog");
        return (host, reference!);
    }

    private static IElement NameInput(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> host) =>
        host.FindAll(".mud-dialog input").First(i => i.GetAttribute("type") == "text");

    private static Task ClickAsync(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> host, string text) =>
        host.FindAll("button").Single(b => b.TextContent.Trim() == text).ClickAsync(new());

    private BacksideDbContext NewDatabase() => bunit.Services.GetRequiredService<IServiceScopeFactory>()
        .CreateScope().ServiceProvider.GetRequiredService<BacksideDbContext>();

    private async Task<int> CountKeysAsync()
    {
        await using var db = NewDatabase();
        return await db.ApiKeys.CountAsync();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await bunit.DisposeAsync();
        await keepAlive.DisposeAsync();
    }
}

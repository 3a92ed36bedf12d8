using Backside.Core.ApiKeys;
using Backside.Web.Components.Pages.Settings.ApiKeys;
using Bunit;
using MudBlazor;

namespace Backside.Tests.Components;

public sealed class CreateApiKeyDialogTests : IAsyncLifetime
{
    private readonly DialogTestHost test = new();

    [Fact]
    public async Task Name_is_required_and_nothing_is_created_without_one()
    {
        var (host, _) = await OpenAsync();

        await DialogTestHost.ClickAsync(host, "Create key");

        host.WaitForAssertion(() => Assert.Contains("Give the key a name", host.Markup));
        Assert.Empty(host.FindAll("[data-testid=new-api-key]"));
        Assert.Equal(0, await test.CountKeysAsync());
    }

    [Fact]
    public async Task A_permission_is_required_unless_full_access_is_on()
    {
        var (host, _) = await OpenAsync();
        await DialogTestHost.Input(host, "Name").InputAsync("CI deploy");

        await DialogTestHost.ClickAsync(host, "Create key");

        host.WaitForAssertion(() => Assert.Contains("Choose at least one permission", host.Markup));
        Assert.Equal(0, await test.CountKeysAsync());
    }

    [Fact]
    public async Task Created_key_is_shown_once_and_gone_after_closing()
    {
        var (host, reference) = await OpenAsync();
        await DialogTestHost.Input(host, "Name").InputAsync("CI deploy");
        await host.Find(".mud-dialog input[type=checkbox]").ChangeAsync(true); // full access

        await DialogTestHost.ClickAsync(host, "Create key");

        var secret = host.WaitForElement("[data-testid=new-api-key]").TextContent.Trim();
        Assert.True(ApiKeyFormat.TryParse(secret, out var livemode) && livemode);
        Assert.Contains("never show it again", host.Markup);
        var result = await CloseAsync(host, reference);
        var stored = await test.FindKeyAsync((string)result.Data!);
        Assert.Equal(ApiKeyFormat.Hash(secret), stored!.SecretHash);
        Assert.Null(stored.Scopes);
        Assert.DoesNotContain(secret, host.Markup);
    }

    private Task<(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent>, IDialogReference)> OpenAsync() =>
        test.OpenAsync(new DialogParameters<CreateApiKeyDialog> { { d => d.Caller, test.Owner } });

    private static async Task<DialogResult> CloseAsync(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> host, IDialogReference reference)
    {
        await DialogTestHost.ClickAsync(host, "I have copied it");
        host.WaitForAssertion(() => Assert.Empty(host.FindAll(".mud-dialog")));
        var result = await reference.Result;
        Assert.False(result!.Canceled);
        return result;
    }

    public Task InitializeAsync() => test.InitializeAsync();

    public Task DisposeAsync() => test.DisposeAsync();
}

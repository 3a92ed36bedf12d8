using Backside.Core.ApiKeys;
using Backside.Web.Components.Pages.Settings.ApiKeys;
using Bunit;
using MudBlazor;

namespace Backside.Tests.Components;

public sealed class RotateApiKeyDialogTests : IAsyncLifetime
{
    private readonly DialogTestHost test = new();

    [Fact]
    public async Task Rotating_shows_the_new_secret_once_and_the_old_one_stops()
    {
        var key = await test.CreateKeyAsync([Scopes.ContactsRead]);
        var (host, reference) = await test.OpenAsync(new DialogParameters<RotateApiKeyDialog> { { d => d.Caller, test.Owner }, { d => d.Key, key.Key } });
        Assert.Contains("gets a new secret", host.Markup);

        await DialogTestHost.ClickAsync(host, "Rotate secret");

        var secret = host.WaitForElement("[data-testid=new-api-key]").TextContent.Trim();
        Assert.NotEqual(key.Secret, secret);
        Assert.StartsWith("bsk_live_", secret);
        Assert.Equal("The old secret has stopped working.", host.Find("[data-testid=grace-notice]").TextContent.Trim());
        var stored = await test.FindKeyAsync(key.Key.Id);
        Assert.Equal(ApiKeyFormat.Hash(secret), stored!.SecretHash);
        Assert.Null(stored.PreviousSecretHash);

        await DialogTestHost.ClickAsync(host, "I have copied it");

        host.WaitForAssertion(() => Assert.Empty(host.FindAll(".mud-dialog")));
        Assert.DoesNotContain(secret, host.Markup);
        Assert.False((await reference.Result)!.Canceled);
    }

    [Fact]
    public async Task Cancelling_leaves_the_secret_as_it_was()
    {
        var key = await test.CreateKeyAsync([Scopes.ContactsRead]);
        var (host, reference) = await test.OpenAsync(new DialogParameters<RotateApiKeyDialog> { { d => d.Caller, test.Owner }, { d => d.Key, key.Key } });

        await DialogTestHost.ClickAsync(host, "Cancel");

        Assert.True((await reference.Result)!.Canceled);
        Assert.Equal(ApiKeyFormat.Hash(key.Secret), (await test.FindKeyAsync(key.Key.Id))!.SecretHash);
    }

    public Task InitializeAsync() => test.InitializeAsync();

    public Task DisposeAsync() => test.DisposeAsync();
}

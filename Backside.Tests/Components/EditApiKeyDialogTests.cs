using Backside.Core.ApiKeys;
using Backside.Web.Components.Pages.Settings.ApiKeys;
using Bunit;
using MudBlazor;

namespace Backside.Tests.Components;

public sealed class EditApiKeyDialogTests : IAsyncLifetime
{
    private readonly DialogTestHost test = new();

    [Fact]
    public async Task Shows_the_keys_current_settings()
    {
        var key = await test.CreateKeyAsync([Scopes.ContactsWrite, Scopes.UsageRead], name: "Worker");

        var (host, _) = await OpenAsync(key.Key);

        Assert.Equal("Worker", DialogTestHost.Input(host, "Name").GetAttribute("value"));
        Assert.Equal("Write", ChosenAccess(host, "Contacts"));
        Assert.Equal("Read", ChosenAccess(host, "Usage"));
        Assert.Equal("None", ChosenAccess(host, "Audit log"));
    }

    [Fact]
    public async Task Invalid_entries_are_shown_and_nothing_is_saved()
    {
        var key = await test.CreateKeyAsync([Scopes.ContactsRead], name: "Worker");
        var (host, _) = await OpenAsync(key.Key);
        await DialogTestHost.Input(host, "Name").InputAsync("Renamed");
        await DialogTestHost.Input(host, "Allowed IP addresses").ChangeAsync("10.0.0.0/8\nnot-an-ip");

        await DialogTestHost.ClickAsync(host, "Save changes");

        host.WaitForAssertion(() => Assert.Contains("'not-an-ip' is not an IP address", FieldError(host, "Allowed IP addresses")));
        Assert.Empty(host.FindAll("[data-testid=edit-error]"));
        Assert.Equal("Worker", (await test.FindKeyAsync(key.Key.Id))!.Name);
    }

    [Fact]
    public async Task A_bad_referrer_is_marked_at_its_field_and_scrolled_into_view()
    {
        var key = await test.CreateKeyAsync([Scopes.ContactsRead], name: "Worker");
        var (host, _) = await OpenAsync(key.Key);
        await DialogTestHost.Input(host, "Allowed referrers").ChangeAsync("app.example.com\nhttps://bad/path");

        await DialogTestHost.ClickAsync(host, "Save changes");

        host.WaitForAssertion(() => Assert.Contains("is not a host pattern", FieldError(host, "Allowed referrers")));
        Assert.Null(FieldError(host, "Allowed IP addresses"));
        host.WaitForAssertion(() => Assert.Contains(test.JSInterop.Invocations, i =>
            i.Identifier == "mudScrollManager.scrollIntoView" && Equals(i.Arguments[0], ".mud-dialog [data-field='allowed_referrers']")));

        // Typing in the field clears its mark: the person sees the fix was taken.
        await DialogTestHost.Input(host, "Allowed referrers").ChangeAsync("app.example.com");
        host.WaitForAssertion(() => Assert.Null(FieldError(host, "Allowed referrers")));
    }

    /// <summary>The error text under the field labelled <paramref name="label"/>, when it is marked as in error.</summary>
    private static string? FieldError(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> host, string label)
    {
        var control = host.FindAll(".mud-dialog .mud-input-control")
            .Single(c => c.QuerySelector("label")?.TextContent.Trim().TrimEnd('*') == label);
        return control.QuerySelector(".mud-input.mud-input-error") is null ? null : control.QuerySelector(".mud-input-helper-text")?.TextContent;
    }

    [Fact]
    public async Task Saving_applies_the_changes_and_closes()
    {
        var key = await test.CreateKeyAsync([Scopes.ContactsRead], name: "Worker");
        var (host, reference) = await OpenAsync(key.Key);
        await DialogTestHost.Input(host, "Name").InputAsync("Renamed");
        await DialogTestHost.Input(host, "Allowed IP addresses").ChangeAsync("10.0.0.0/8\n2001:db8::/32");
        await DialogTestHost.Input(host, "Allowed referrers").ChangeAsync("*.example.com");

        await DialogTestHost.ClickAsync(host, "Save changes");

        var result = await reference.Result;
        Assert.False(result!.Canceled);
        var stored = await test.FindKeyAsync(key.Key.Id);
        Assert.Equal("Renamed", stored!.Name);
        Assert.Equal(["10.0.0.0/8", "2001:db8::/32"], stored.AllowedIps);
        Assert.Equal(["*.example.com"], stored.AllowedReferrers);
        Assert.Equal(["contacts:read"], stored.Scopes);
    }

    private static string ChosenAccess(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> host, string domain) =>
        host.FindAll(".mud-dialog tr").Single(r => r.QuerySelector("b")?.TextContent == domain)
            .QuerySelector("input[type=radio]:checked")!.Closest("label")!.TextContent.Trim();

    private Task<(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent>, IDialogReference)> OpenAsync(ApiKey key) =>
        test.OpenAsync(new DialogParameters<EditApiKeyDialog> { { d => d.Caller, test.Owner }, { d => d.Key, key } });

    public Task InitializeAsync() => test.InitializeAsync();

    public Task DisposeAsync() => test.DisposeAsync();
}

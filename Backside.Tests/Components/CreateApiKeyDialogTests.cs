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

    [Fact]
    public async Task The_reveal_shows_ready_to_run_curl_and_csharp_lines_with_the_key_on_this_origin()
    {
        var (host, _) = await OpenAsync();
        await DialogTestHost.Input(host, "Name").InputAsync("CI deploy");
        await host.Find(".mud-dialog input[type=checkbox]").ChangeAsync(true);

        await DialogTestHost.ClickAsync(host, "Create key");

        var secret = host.WaitForElement("[data-testid=new-api-key]").TextContent.Trim();
        // No App:PublicBaseUrl: the origin the dashboard was loaded from (bunit's is http://localhost/).
        Assert.Equal($"curl -H \"Authorization: Bearer {secret}\" http://localhost/api/v1/ping", host.Find("[data-testid=quick-start-curl]").TextContent);
        Assert.Equal($"using var backside = new BacksideClient(\"{secret}\", new Uri(\"http://localhost\"));\nvar ping = await backside.Api.V1.Ping.GetAsync();",
            host.Find("[data-testid=quick-start-csharp]").TextContent);
        Assert.Contains("{\"ok\":true}", host.Find("[data-testid=quick-start-expectation]").TextContent);
        Assert.Equal("http://localhost/scalar", host.Find("[data-testid=api-reference-link]").GetAttribute("href"));

        await host.FindAll("button").Single(b => b.GetAttribute("aria-label") == "Copy curl command").ClickAsync(new());
        Assert.Contains(test.JSInterop.Invocations, i => i.Identifier == "navigator.clipboard.writeText" && Equals(i.Arguments[0], host.Find("[data-testid=quick-start-curl]").TextContent));
        await host.FindAll("button").Single(b => b.GetAttribute("aria-label") == "Copy C# code").ClickAsync(new());
        Assert.Contains(test.JSInterop.Invocations, i => i.Identifier == "navigator.clipboard.writeText" && Equals(i.Arguments[0], host.Find("[data-testid=quick-start-csharp]").TextContent));
    }

    [Fact]
    public async Task The_quick_start_lines_use_the_public_base_url_when_one_is_set()
    {
        await using var configured = new DialogTestHost("https://api.example.com/backside");
        var (host, _) = await configured.OpenAsync(new DialogParameters<CreateApiKeyDialog> { { d => d.Caller, configured.Owner } });
        await DialogTestHost.Input(host, "Name").InputAsync("Reader");
        await host.Find(".mud-dialog input[type=checkbox]").ChangeAsync(true);

        await DialogTestHost.ClickAsync(host, "Create key");

        var secret = host.WaitForElement("[data-testid=new-api-key]").TextContent.Trim();
        Assert.Equal($"curl -H \"Authorization: Bearer {secret}\" https://api.example.com/backside/api/v1/ping", host.Find("[data-testid=quick-start-curl]").TextContent);
        Assert.Contains($"new BacksideClient(\"{secret}\", new Uri(\"https://api.example.com/backside\"))", host.Find("[data-testid=quick-start-csharp]").TextContent);
    }

    [Fact]
    public async Task A_rotated_key_that_may_not_read_contacts_is_told_what_ping_answers_it()
    {
        var key = (await test.CreateKeyAsync([Scopes.UsageRead], name: "Reporter")).Key;
        var (host, _) = await test.OpenAsync(new DialogParameters<RotateApiKeyDialog> { { d => d.Caller, test.Owner }, { d => d.Key, key } });

        await DialogTestHost.ClickAsync(host, "Rotate secret");

        var secret = host.WaitForElement("[data-testid=new-api-key]").TextContent.Trim();
        Assert.Contains(secret, host.Find("[data-testid=quick-start-curl]").TextContent);
        Assert.Contains("403 insufficient_scope", host.Find("[data-testid=quick-start-expectation]").TextContent);
    }

    [Fact]
    public async Task A_refusal_from_core_is_shown_at_the_field_it_names()
    {
        var (host, _) = await test.OpenAsync(new DialogParameters<CreateApiKeyDialog>
        {
            { d => d.Caller, test.Owner },
            { d => d.Policy, OrganizationKeyPolicy.Default with { MaxLiveKeyLifetimeDays = 30 } },
        });
        await test.InScopeAsync<Backside.Core.Data.BacksideDbContext, int>(async db =>
        {
            var organization = await db.Organizations.FindAsync(test.Owner.OrganizationId);
            organization!.MaxLiveKeyLifetimeDays = 30;
            return await db.SaveChangesAsync();
        });
        await DialogTestHost.Input(host, "Name").InputAsync("No expiry");
        await host.Find(".mud-dialog input[type=checkbox]").ChangeAsync(true);

        // The form shows the policy; a person who leaves the date empty anyway learns it at the date field.
        await DialogTestHost.ClickAsync(host, "Create key");

        host.WaitForAssertion(() => Assert.Contains("expires_at", ErrorField(host)));
        Assert.Empty(host.FindAll("[data-testid=create-error]"));
        Assert.Contains(test.JSInterop.Invocations, i => i.Identifier == "mudScrollManager.scrollIntoView" && Equals(i.Arguments[0], ".mud-dialog [data-field='expires_at']"));
        Assert.Equal(0, await test.CountKeysAsync());
    }

    /// <summary>The <c>data-field</c> of the input marked as in error.</summary>
    private static string ErrorField(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> host) =>
        string.Join(",", host.FindAll(".mud-dialog .mud-input-control").Where(c => c.QuerySelector(".mud-input-error") is not null)
            .Select(c => c.QuerySelector("[data-field]")?.GetAttribute("data-field")));

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

using Backside.Core.ApiKeys;
using Backside.Core.Organizations;
using Backside.Web.Components.Pages.Settings.ApiKeys;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;

namespace Backside.Tests.Components;

/// <summary>
/// The keys list as a person first sees it: an empty organization explains what a key is for and offers Create only
/// to a role that may create one; a created key is in the list behind the reveal, and closing the reveal confirms it.
/// </summary>
public sealed class ApiKeysPageTests : IAsyncLifetime
{
    private readonly PageTestHost test = new();

    [Theory]
    [InlineData(OrganizationRole.Owner)]
    [InlineData(OrganizationRole.Admin)]
    [InlineData(OrganizationRole.Developer)]
    public void An_empty_list_explains_keys_and_offers_one_create_button_to_a_role_that_may_create(OrganizationRole role)
    {
        test.SignInAs(role);

        var page = test.Render<ApiKeysPage>();

        var empty = page.WaitForElement("[data-testid=api-keys-empty]");
        Assert.Contains("An API key lets your code", empty.TextContent);
        // One Create button, in the explanation: the toolbar's is left out while there is nothing to list.
        var create = Assert.Single(CreateButtons(page));
        Assert.False(create.HasAttribute("disabled"));
        Assert.NotNull(empty.QuerySelector("[data-testid=create-api-key]"));
        Assert.Empty(page.FindAll("[data-testid=read-only-explanation]"));
        Assert.Equal(role == OrganizationRole.Developer, empty.TextContent.Contains("you create test keys", StringComparison.Ordinal));
    }

    [Fact]
    public void A_viewer_sees_a_plain_explanation_and_no_create_button()
    {
        test.SignInAs(OrganizationRole.Viewer);

        var page = test.Render<ApiKeysPage>();

        var empty = page.WaitForElement("[data-testid=api-keys-empty]");
        Assert.Contains("An API key lets your code", empty.TextContent);
        Assert.Contains("As a Viewer you can see this organization's keys, but not create or change them", page.Find("[data-testid=read-only-explanation]").TextContent);
        Assert.Empty(CreateButtons(page));
        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Contains("Create", StringComparison.Ordinal));
    }

    [Fact]
    public void The_page_links_to_the_api_reference()
    {
        test.SignInAs(OrganizationRole.Viewer);

        var page = test.Render<ApiKeysPage>();

        Assert.Equal("http://localhost/scalar", page.Find("[data-testid=api-reference]").GetAttribute("href"));
    }

    [Fact]
    public async Task A_created_key_is_listed_behind_the_reveal_and_confirmed_once_it_closes()
    {
        test.SignInAs(OrganizationRole.Owner);
        var page = test.Render<ApiKeysPage>();
        page.WaitForElement("[data-testid=api-keys-empty]");

        // The click's handler waits for the dialog's answer: await it only once the dialog has been answered.
        var creating = CreateButtons(page).Single().ClickAsync(new());
        page.WaitForElement(".mud-dialog");
        await DialogTestHost.Input(page, "Name").InputAsync("CI deploy");
        await page.Find(".mud-dialog input[type=checkbox]").ChangeAsync(true);
        await DialogTestHost.ClickAsync(page, "Create key");
        var secret = page.WaitForElement("[data-testid=new-api-key]").TextContent.Trim();

        // Still revealing, and the list already has it (not "0 of 0" until the dialog closes).
        page.WaitForAssertion(() => Assert.Contains("CI deploy", page.Find("[data-testid=api-keys-grid] tbody").TextContent));
        Assert.Empty(page.FindAll("[data-testid=api-keys-empty]"));
        Assert.Single(page.FindAll("[data-testid=new-api-key]"));

        await DialogTestHost.ClickAsync(page, "I have copied it");
        await creating;

        page.WaitForAssertion(() => Assert.Contains("Created 'CI deploy'. It is in the list below", page.Find(".mud-snackbar").TextContent));
        Assert.Empty(page.FindAll(".mud-dialog"));
        Assert.DoesNotContain(secret, page.Markup);
        var hash = ApiKeyFormat.Hash(secret);
        Assert.True(await test.InScopeAsync(db => db.ApiKeys.AnyAsync(k => k.Name == "CI deploy" && k.SecretHash == hash)));
        // With a key listed, Create is in the toolbar.
        Assert.Single(CreateButtons(page));
        Assert.Empty(page.FindAll("[data-testid=api-keys-empty] [data-testid=create-api-key]"));
    }

    private static IReadOnlyList<AngleSharp.Dom.IElement> CreateButtons(IRenderedComponent<IComponent> page) =>
        page.FindAll("button[data-testid=create-api-key]");

    public Task InitializeAsync() => test.InitializeAsync();

    public Task DisposeAsync() => test.DisposeAsync();
}

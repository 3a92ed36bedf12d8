using Backside.Core.Organizations;
using Backside.Web.Components.Pages.Settings.Organization;
using Bunit;
using Microsoft.EntityFrameworkCore;

namespace Backside.Tests.Components;

public sealed class OrganizationPageTests : IAsyncLifetime
{
    private readonly PageTestHost test = new();

    [Theory]
    [InlineData(OrganizationRole.Viewer)]
    [InlineData(OrganizationRole.Developer)]
    public void A_viewer_or_developer_sees_the_plan_and_policies_read_only(OrganizationRole role)
    {
        test.SignInAs(role);

        var page = test.Render<OrganizationPage>();

        page.WaitForElement("[data-testid=plan]");
        Assert.Contains("Plan: Free", page.Find("[data-testid=plan]").TextContent);
        Assert.NotEmpty(page.FindAll("[data-testid=read-only-notice]"));
        Assert.Empty(page.FindAll("[data-testid=save]"));
        Assert.Empty(page.FindAll("[data-testid=delete-organization]"));
        Assert.Contains("Rotation reminder", page.Markup);
        Assert.True(page.Find("[data-testid=name] input, input[data-testid=name]").HasAttribute("readonly"));
    }

    [Fact]
    public void An_admin_may_change_settings_but_not_delete()
    {
        test.SignInAs(OrganizationRole.Admin);

        var page = test.Render<OrganizationPage>();

        page.WaitForElement("[data-testid=save]");
        Assert.Empty(page.FindAll("[data-testid=read-only-notice]"));
        Assert.Empty(page.FindAll("[data-testid=delete-organization]"));
    }

    [Fact]
    public async Task An_owner_renames_the_organization()
    {
        test.SignInAs(OrganizationRole.Owner);
        var page = test.Render<OrganizationPage>();
        page.WaitForElement("[data-testid=save]");

        await page.Find("[data-testid=name] input, input[data-testid=name]").ChangeAsync("Acme Labs");
        await page.Find("[data-testid=save]").ClickAsync(new());

        Assert.True(await PageTestHost.EventuallyAsync(async () => "Acme Labs" ==
            await test.InScopeAsync(db => db.Organizations.Where(o => o.Id == PageTestHost.OrganizationId).Select(o => o.Name).SingleAsync())));
    }

    [Fact]
    public async Task Deleting_needs_the_name_typed_before_the_button_works()
    {
        test.SignInAs(OrganizationRole.Owner);
        var page = test.Render<OrganizationPage>();
        page.WaitForElement("[data-testid=delete-organization]");

        // The click's handler waits for the dialog's answer: await it only once the dialog has been answered.
        var deleting = page.Find("[data-testid=delete-organization]").ClickAsync(new());
        page.WaitForElement(".mud-dialog");
        var confirm = () => page.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Delete organization");
        Assert.True(confirm().HasAttribute("disabled"));
        await page.Find("[data-testid=confirm-name] input, input[data-testid=confirm-name]").InputAsync("Acme");
        page.WaitForAssertion(() => Assert.False(confirm().HasAttribute("disabled")));
        await confirm().ClickAsync(new());
        await deleting;

        Assert.True(await PageTestHost.EventuallyAsync(async () =>
            !await test.InScopeAsync(db => db.Organizations.AnyAsync(o => o.Id == PageTestHost.OrganizationId))));
    }

    public Task InitializeAsync() => test.InitializeAsync();

    public Task DisposeAsync() => test.DisposeAsync();
}

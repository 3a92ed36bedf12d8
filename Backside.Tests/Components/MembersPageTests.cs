using Backside.Core.Organizations;
using Backside.Web.Components.Pages.Settings.Members;
using Bunit;
using Microsoft.EntityFrameworkCore;

namespace Backside.Tests.Components;

public sealed class MembersPageTests : IAsyncLifetime
{
    private readonly PageTestHost test = new();

    [Fact]
    public void An_owner_sees_every_member_and_may_change_remove_and_transfer()
    {
        test.SignInAs(OrganizationRole.Owner);

        var page = test.Render<MembersPage>();

        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=members-table] tbody tr").Count));
        Assert.All(Enum.GetValues<OrganizationRole>(), r => Assert.Contains($"{r.Name()}@example.com", page.Markup));
        Assert.Equal(3, RemoveButtons(page).Count);
        Assert.NotEmpty(page.FindAll("[data-testid=transfer-ownership]"));
        // The last Owner cannot leave: they transfer ownership or delete the organization instead.
        Assert.Empty(page.FindAll("[data-testid=leave-organization]"));
        page.WaitForAssertion(() => Assert.Contains("Invitations", page.Markup));
    }

    [Fact]
    public void A_viewer_sees_the_members_but_no_buttons_to_change_them_and_may_leave()
    {
        test.SignInAs(OrganizationRole.Viewer);

        var page = test.Render<MembersPage>();

        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=members-table] tbody tr").Count));
        Assert.Empty(RemoveButtons(page));
        Assert.Equal(4, page.FindAll("[data-testid=role]").Count);
        Assert.Empty(page.FindAll("[data-testid=transfer-ownership]"));
        Assert.NotEmpty(page.FindAll("[data-testid=leave-organization]"));
    }

    [Fact]
    public void An_admin_may_change_and_remove_developers_and_viewers_but_not_the_owner()
    {
        test.SignInAs(OrganizationRole.Admin);

        var page = test.Render<MembersPage>();

        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=members-table] tbody tr").Count));
        Assert.Equal(["Remove developer@example.com", "Remove viewer@example.com"],
            RemoveButtons(page).Select(b => b.GetAttribute("aria-label")).Order());
        // The Owner and the Admin themselves are shown as text, not a select.
        Assert.Equal(2, page.FindAll("[data-testid=role]").Count);
        Assert.Empty(page.FindAll("[data-testid=transfer-ownership]"));
    }

    [Fact]
    public async Task An_owner_removes_a_member_after_confirming()
    {
        test.SignInAs(OrganizationRole.Owner);
        var page = test.Render<MembersPage>();
        page.WaitForAssertion(() => Assert.Equal(3, RemoveButtons(page).Count));

        // The click's handler waits for the dialog's answer: await it only once the dialog has been answered.
        var removing = RemoveButtons(page).Single(b => b.GetAttribute("aria-label") == "Remove viewer@example.com").ClickAsync(new());
        page.WaitForElement(".mud-dialog");
        await page.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Remove").ClickAsync(new());
        await removing;

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=members-table] tbody tr").Count));
        Assert.False(await test.InScopeAsync(db => db.OrganizationMembers.AnyAsync(m => m.UserId == PageTestHost.UserIdOf(OrganizationRole.Viewer))));
    }

    private static IReadOnlyList<AngleSharp.Dom.IElement> RemoveButtons(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> page) =>
        page.FindAll("button[aria-label^='Remove ']");

    public Task InitializeAsync() => test.InitializeAsync();

    public Task DisposeAsync() => test.DisposeAsync();
}

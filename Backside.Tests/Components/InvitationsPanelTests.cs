using System.Security.Claims;
using System.Security.Cryptography;
using Backside.Core;
using Backside.Core.Audit;
using Backside.Core.Data;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Web.Components.Shared;
using Backside.Web.Dashboard;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;

namespace Backside.Tests.Components;

/// <summary>The invitations panel, signed in as an Owner, an Admin or a Developer of one organization, on the real Core services.</summary>
public sealed class InvitationsPanelTests : IAsyncLifetime
{
    private const string OrganizationId = "org_0193a0b1c2d37e4f8a9b0c1d2e3f4a6c";
    private readonly BunitContext bunit = new();
    private readonly SqliteConnection keepAlive;
    private readonly BunitAuthorizationContext authorization;
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    public InvitationsPanelTests()
    {
        var connectionString = $"Data Source=invitations-{Guid.NewGuid():N};Mode=Memory;Cache=Shared";
        keepAlive = new SqliteConnection(connectionString);
        keepAlive.Open();
        bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        bunit.Services.AddMudServices();
        bunit.Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        bunit.Services.AddBacksideCore(_ => connectionString);
        bunit.Services.AddSingleton<TimeProvider>(time);
        bunit.Services.AddSingleton<IAuditHmacKey>(new FixedAuditHmacKey(RandomNumberGenerator.GetBytes(32)));
        bunit.Services.AddIdentityCore<ApplicationUser>().AddEntityFrameworkStores<BacksideDbContext>();
        bunit.Services.AddHttpContextAccessor();
        bunit.Services.AddScoped<DashboardCaller>();
        // DashboardCaller reads the browser's active-organization cookie (none here) through this.
        bunit.Services.AddDataProtection();
        bunit.Services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Development });
        bunit.Services.AddSingleton<ActiveOrganizationCookie>();
        authorization = bunit.AddAuthorization();

        using var scope = bunit.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BacksideDbContext>();
        db.Database.Migrate();
        db.Organizations.Add(new Organization { Id = OrganizationId, Name = "Team", Kind = OrganizationKind.Team });
        foreach (var role in Enum.GetValues<OrganizationRole>())
        {
            var id = UserOf(role);
            var email = $"{role.Name()}@example.com";
            db.Users.Add(new ApplicationUser
            {
                Id = id,
                UserName = email,
                Email = email,
                NormalizedEmail = email.ToUpperInvariant(),
                NormalizedUserName = email.ToUpperInvariant(),
                EmailConfirmed = true,
            });
            db.OrganizationMembers.Add(new OrganizationMember { OrganizationId = OrganizationId, UserId = id, Role = role });
        }
        scope.ServiceProvider.GetRequiredService<AuditTrail>().StartChain(OrganizationId);
        db.SaveChanges();
    }

    private static string UserOf(OrganizationRole role) => $"usr_{role.Name()}";

    [Fact]
    public async Task An_admin_invites_and_sees_the_invitation_with_who_sent_it()
    {
        var panel = Render(OrganizationRole.Admin);

        await panel.Find("input[type=email]").InputAsync("new@example.com");
        await panel.FindAll("button").Single(b => b.TextContent.Trim() == "Invite").ClickAsync(new());

        panel.WaitForAssertion(() => Assert.Single(panel.FindAll("[data-testid=invitation-row]")));
        var row = panel.Find("[data-testid=invitation-row]").TextContent;
        Assert.Contains("new@example.com", row);
        Assert.Contains("Developer", row);
        Assert.Contains("admin@example.com", row);
        Assert.Equal(1, await CountPendingAsync());
    }

    [Fact]
    public async Task Revoke_and_resend_act_on_the_row()
    {
        var created = await InviteAsync(OrganizationRole.Owner, "someone@example.com", "viewer");
        var panel = Render(OrganizationRole.Owner);
        panel.WaitForAssertion(() => Assert.Single(panel.FindAll("[data-testid=invitation-row]")));
        time.Advance(TimeSpan.FromMinutes(2));

        await panel.FindAll("button").Single(b => b.TextContent.Trim() == "Resend").ClickAsync(new());
        panel.WaitForAssertion(() => Assert.NotEqual(InvitationToken.Hash(created.Token), StoredHash(created.Invitation.Id)));
        await panel.FindAll("button").Single(b => b.TextContent.Trim() == "Revoke").ClickAsync(new());

        panel.WaitForAssertion(() => Assert.NotNull(panel.Find("[data-testid=no-invitations]")));
        Assert.Equal(0, await CountPendingAsync());
    }

    [Fact]
    public void An_admin_is_offered_every_role_but_owner_and_an_owner_every_role()
    {
        Assert.DoesNotContain(OrganizationRole.Owner, InvitationsPanel.Grantable(OrganizationRole.Admin));
        Assert.Equal(Enum.GetValues<OrganizationRole>(), InvitationsPanel.Grantable(OrganizationRole.Owner));
    }

    [Theory]
    [InlineData(OrganizationRole.Developer)]
    [InlineData(OrganizationRole.Viewer)]
    public async Task Roles_without_manage_members_see_nothing(OrganizationRole role)
    {
        await InviteAsync(OrganizationRole.Owner, "hidden@example.com", "viewer");

        var panel = Render(role);

        Assert.Empty(panel.FindAll("[data-testid=invitations-panel]"));
        Assert.DoesNotContain("hidden@example.com", panel.Markup);
    }

    private IRenderedComponent<InvitationsPanel> Render(OrganizationRole role)
    {
        authorization.SetAuthorized($"{role.Name()}@example.com");
        authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, UserOf(role)));
        bunit.Render<MudPopoverProvider>();
        return bunit.Render<InvitationsPanel>();
    }

    private async Task<CreatedInvitation> InviteAsync(OrganizationRole by, string email, string role)
    {
        await using var scope = bunit.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<InvitationService>()
            .CreateAsync(Caller.ForMember(OrganizationId, by, UserOf(by)), email, role);
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Value!;
    }

    private byte[] StoredHash(string id)
    {
        using var scope = bunit.Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<BacksideDbContext>().Invitations.AsNoTracking().Single(i => i.Id == id).TokenHash;
    }

    private async Task<int> CountPendingAsync()
    {
        await using var scope = bunit.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BacksideDbContext>();
        return await db.Invitations.CountAsync(i => i.AcceptedAt == null && i.RevokedAt == null);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await bunit.DisposeAsync();
        await keepAlive.DisposeAsync();
    }
}

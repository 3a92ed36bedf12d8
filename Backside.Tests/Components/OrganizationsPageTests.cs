using System.Security.Claims;
using System.Security.Cryptography;
using Backside.Core;
using Backside.Core.ApiKeys;
using Backside.Core.Audit;
using Backside.Core.Data;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Web.Authorization;
using Backside.Web.Components.Pages.Operator;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;

namespace Backside.Tests.Components;

/// <summary>Platform &gt; Organizations: the list, its search, and a plan change through the select.</summary>
public sealed class OrganizationsPageTests : IAsyncLifetime
{
    private const string TeamId = "org_0193a0b1c2d37e4f8a9b0c1d2e3f4a01";
    private const string PersonalId = "org_0193a0b1c2d37e4f8a9b0c1d2e3f4a02";
    private const string OperatorId = "usr_operator";
    private readonly BunitContext bunit = new();
    private readonly SqliteConnection keepAlive;
    private readonly BunitAuthorizationContext authorization;

    public OrganizationsPageTests()
    {
        var connectionString = $"Data Source=organizations-{Guid.NewGuid():N};Mode=Memory;Cache=Shared";
        keepAlive = new SqliteConnection(connectionString);
        keepAlive.Open();
        bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        bunit.Services.AddMudServices();
        bunit.Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Plans:Pro:DefaultRateLimitPerMinute"] = "3000",
            ["Plans:Pro:MaxRateLimitPerMinute"] = "60000",
        }).Build());
        bunit.Services.AddBacksideCore(_ => connectionString);
        bunit.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero)));
        bunit.Services.AddSingleton<IAuditHmacKey>(new FixedAuditHmacKey(RandomNumberGenerator.GetBytes(32)));
        authorization = bunit.AddAuthorization();
        authorization.SetAuthorized("operator@backside.test");
        authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, OperatorId));
        authorization.SetPolicies(OperatorRequirement.PolicyName);

        using var scope = bunit.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BacksideDbContext>();
        db.Database.Migrate();
        db.Users.AddRange(
            new ApplicationUser { Id = "usr_ada", UserName = "ada@example.com", Email = "ada@example.com" },
            new ApplicationUser { Id = "usr_grace", UserName = "grace@example.com", Email = "grace@example.com" });
        db.Organizations.AddRange(
            new Organization
            {
                Id = TeamId,
                Name = "Acme engineering",
                Kind = OrganizationKind.Team,
                Members =
                [
                    new OrganizationMember { OrganizationId = TeamId, UserId = "usr_ada", Role = OrganizationRole.Owner },
                    new OrganizationMember { OrganizationId = TeamId, UserId = "usr_grace", Role = OrganizationRole.Developer },
                ],
            },
            new Organization
            {
                Id = PersonalId,
                Name = "Zed's organization",
                Kind = OrganizationKind.Personal,
                Members = [new OrganizationMember { OrganizationId = PersonalId, UserId = "usr_grace", Role = OrganizationRole.Owner }],
            });
        var audit = scope.ServiceProvider.GetRequiredService<AuditTrail>();
        audit.StartChain(TeamId);
        audit.StartChain(PersonalId);
        db.SaveChanges();
    }

    public async Task InitializeAsync()
    {
        var owner = Caller.ForMember(TeamId, OrganizationRole.Owner, "usr_ada");
        await using var scope = bunit.Services.CreateAsyncScope();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeyService>();
        await keys.CreateAsync(owner, new CreateApiKeyCommand("One", "live", [Scopes.ContactsRead]));
        var revoked = await keys.CreateAsync(owner, new CreateApiKeyCommand("Two", "live", [Scopes.ContactsRead]));
        await keys.CreateAsync(owner, new CreateApiKeyCommand("Three", "test", [Scopes.ContactsRead]));
        await keys.RevokeAsync(owner, revoked.Value!.Key.Id);
    }

    [Fact]
    public void Lists_every_organization_with_its_kind_plan_members_and_active_keys()
    {
        var page = Render();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=organization-name]").Count));
        var rows = page.FindAll("[data-testid=organizations-grid] tbody tr").Select(r => r.TextContent).ToList();
        var team = Assert.Single(rows, r => r.Contains("Acme engineering"));
        Assert.Contains("Team", team);
        Assert.Contains(TeamId, team);
        Assert.Equal(["2", "2"], page.FindAll("[data-testid=organizations-grid] tbody tr").First(r => r.TextContent.Contains("Acme"))
            .QuerySelectorAll("td").TakeLast(2).Select(td => td.TextContent.Trim()));
        Assert.Equal("Free", Select(page, TeamId).Find("input").GetAttribute("value"));
    }

    [Fact]
    public async Task Search_narrows_the_list()
    {
        var page = Render();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=organization-name]").Count));

        var search = page.FindComponents<MudTextField<string>>().Single();
        await page.InvokeAsync(() => search.Instance.ValueChanged.InvokeAsync("zed"));

        page.WaitForAssertion(() => Assert.Equal(["Zed's organization"], page.FindAll("[data-testid=organization-name]").Select(e => e.TextContent)));
    }

    [Fact]
    public async Task Choosing_a_plan_changes_it_audited_with_the_operator_as_actor()
    {
        var page = Render();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=organization-name]").Count));
        Assert.Equal(["Free", "Pro"], await PlanNamesAsync());

        await page.InvokeAsync(() => Select(page, TeamId).Instance.ValueChanged.InvokeAsync("Pro"));

        page.WaitForAssertion(() => Assert.Equal("Pro", Select(page, TeamId).Find("input").GetAttribute("value")));
        Assert.Equal("Pro", await PlanOfAsync(TeamId));
        Assert.Equal("Free", await PlanOfAsync(PersonalId));
        var changed = await InScopeAsync<BacksideDbContext, AuditEvent>(db => db.AuditEvents.AsNoTracking()
            .SingleAsync(e => e.OrganizationId == TeamId && e.Action == AuditActions.OrganizationPlanChanged));
        Assert.Equal(OperatorId, changed.ActorId);
    }

    [Fact]
    public async Task A_person_who_is_no_longer_an_operator_cannot_change_a_plan_from_an_open_page()
    {
        var page = Render();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=organization-name]").Count));
        authorization.SetPolicies();

        await page.InvokeAsync(() => Select(page, TeamId).Instance.ValueChanged.InvokeAsync("Pro"));

        Assert.Equal("Free", await PlanOfAsync(TeamId));
    }

    private IRenderedComponent<IComponent> Render()
    {
        return bunit.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<OrganizationsPage>(1);
            builder.CloseComponent();
        });
    }

    private static IRenderedComponent<MudSelect<string>> Select(IRenderedComponent<IComponent> page, string organizationId) =>
        page.FindComponents<MudSelect<string>>().Single(s => Equals(s.Instance.UserAttributes.GetValueOrDefault("data-testid"), $"plan-{organizationId}"));

    private Task<string> PlanOfAsync(string organizationId) =>
        InScopeAsync<BacksideDbContext, string>(db => db.Organizations.Where(o => o.Id == organizationId).Select(o => o.Plan).SingleAsync());

    private Task<IReadOnlyList<string>> PlanNamesAsync() =>
        InScopeAsync<OrganizationPlanService, IReadOnlyList<string>>(p => Task.FromResult(p.PlanNames));

    private async Task<TResult> InScopeAsync<TService, TResult>(Func<TService, Task<TResult>> work) where TService : notnull
    {
        await using var scope = bunit.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public async Task DisposeAsync()
    {
        await bunit.DisposeAsync();
        await keepAlive.DisposeAsync();
    }
}

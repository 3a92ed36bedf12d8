using System.Security.Claims;
using System.Security.Cryptography;
using Backside.Core;
using Backside.Core.Audit;
using Backside.Core.Data;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Web.Dashboard;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
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

/// <summary>
/// bunit for whole dashboard pages: MudBlazor's providers, the real Core services on an in-memory SQLite database, and
/// a signed-in person (<see cref="SignInAs"/>) whom the real <see cref="DashboardCaller"/> finds. The database holds
/// one team organization with one person of each role, each belonging to it alone.
/// </summary>
public sealed class PageTestHost : IAsyncLifetime
{
    public const string OrganizationId = "org_0193a0b1c2d37e4f8a9b0c1d2e3f4a60";
    public const string OrganizationName = "Acme";
    private readonly BunitContext bunit = new();
    private readonly SqliteConnection keepAlive;
    private readonly BunitAuthorizationContext authorization;

    public PageTestHost()
    {
        var connectionString = $"Data Source=pages-{Guid.NewGuid():N};Mode=Memory;Cache=Shared";
        keepAlive = new SqliteConnection(connectionString);
        keepAlive.Open();

        bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        bunit.Services.AddMudServices();
        bunit.Services.AddLogging();
        bunit.Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        bunit.Services.AddBacksideCore(_ => connectionString);
        bunit.Services.AddSingleton<TimeProvider>(Time);
        bunit.Services.AddSingleton<IAuditHmacKey>(new FixedAuditHmacKey(RandomNumberGenerator.GetBytes(32)));
        bunit.Services.AddIdentityCore<ApplicationUser>().AddEntityFrameworkStores<BacksideDbContext>();
        bunit.Services.AddHttpContextAccessor();
        bunit.Services.AddScoped<DashboardCaller>();
        // What DashboardCaller reads the browser's organization choice with, as the app registers it.
        bunit.Services.AddDataProtection();
        bunit.Services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Development });
        bunit.Services.AddSingleton<ActiveOrganizationCookie>();
        authorization = bunit.AddAuthorization();

        using var scope = bunit.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BacksideDbContext>();
        db.Database.Migrate();
        var organization = new Organization { Id = OrganizationId, Name = OrganizationName, Kind = OrganizationKind.Team, CreatedAt = Time.GetUtcNow() };
        foreach (var role in Enum.GetValues<OrganizationRole>())
        {
            var email = $"{role.Name()}@example.com";
            db.Users.Add(new ApplicationUser { Id = UserIdOf(role), UserName = email, Email = email, NormalizedEmail = email.ToUpperInvariant(), EmailConfirmed = true });
            organization.Members.Add(new OrganizationMember { OrganizationId = OrganizationId, UserId = UserIdOf(role), Role = role, CreatedAt = Time.GetUtcNow() });
        }
        db.Organizations.Add(organization);
        scope.ServiceProvider.GetRequiredService<AuditTrail>().StartChain(OrganizationId);
        db.SaveChanges();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    /// <summary>The user id of the person with <paramref name="role"/>: <c>usr_</c> and a fixed hex tail per role.</summary>
    public static string UserIdOf(OrganizationRole role) => $"usr_0193a0b1c2d37e4f8a9b0c1d2e3f4a{(int)role:x2}";

    public void SignInAs(OrganizationRole role)
    {
        authorization.SetAuthorized($"{role.Name()}@example.com");
        authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, UserIdOf(role)));
    }

    /// <summary>The page inside MudBlazor's popover and dialog providers, as the layout has them.</summary>
    public IRenderedComponent<IComponent> Render<TPage>() where TPage : IComponent =>
        bunit.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
            builder.OpenComponent<MudSnackbarProvider>(2);
            builder.CloseComponent();
            builder.OpenComponent<TPage>(3);
            builder.CloseComponent();
        });

    public async Task<TResult> InScopeAsync<TResult>(Func<BacksideDbContext, Task<TResult>> work)
    {
        await using var scope = bunit.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<BacksideDbContext>());
    }

    /// <summary>Whether <paramref name="condition"/> holds within a few seconds (the page's work runs on the renderer).</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (await condition())
                return true;
            await Task.Delay(50);
        }
        return false;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await bunit.DisposeAsync();
        await keepAlive.DisposeAsync();
    }
}

using System.Security.Cryptography;
using AngleSharp.Dom;
using Backside.Core;
using Backside.Core.ApiKeys;
using Backside.Core.Audit;
using Backside.Core.Data;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Web.Hosting;
using Bunit;
using Microsoft.AspNetCore.Components;
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
/// bunit with MudBlazor's providers and the real Core services on an in-memory SQLite database holding one
/// organization. bunit's context is held, not inherited: MudBlazor's services must be disposed asynchronously.
/// </summary>
public sealed class DialogTestHost : IAsyncLifetime
{
    private const string OrganizationId = "org_0193a0b1c2d37e4f8a9b0c1d2e3f4a5b";
    private readonly BunitContext bunit = new();
    private readonly SqliteConnection keepAlive;

    /// <param name="publicBaseUrl"><c>App:PublicBaseUrl</c>, which the reveal's quick-start lines are built on when set.</param>
    public DialogTestHost(string? publicBaseUrl = null)
    {
        // A named in-memory database lives as long as one connection to it stays open.
        var connectionString = $"Data Source=dialogs-{Guid.NewGuid():N};Mode=Memory;Cache=Shared";
        keepAlive = new SqliteConnection(connectionString);
        keepAlive.Open();

        bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        bunit.Services.AddMudServices();
        // Core binds its options from configuration; the defaults are what these dialogs need.
        bunit.Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        bunit.Services.AddBacksideCore(_ => connectionString);
        bunit.Services.AddSingleton<TimeProvider>(Time);
        bunit.Services.Configure<AppOptions>(o => o.PublicBaseUrl = publicBaseUrl);
        bunit.Services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Development });
        bunit.Services.AddSingleton<IAuditHmacKey>(new FixedAuditHmacKey(RandomNumberGenerator.GetBytes(32)));

        using var scope = bunit.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BacksideDbContext>();
        db.Database.Migrate();
        // A real Owner: key writes re-read the acting person's membership.
        db.Users.Add(new ApplicationUser { Id = OwnerId, UserName = "owner@example.com", Email = "owner@example.com", EmailConfirmed = true });
        db.Organizations.Add(new Organization
        {
            Id = OrganizationId,
            Name = "Test organization",
            Members = [new OrganizationMember { OrganizationId = OrganizationId, UserId = OwnerId, Role = OrganizationRole.Owner }],
        });
        scope.ServiceProvider.GetRequiredService<AuditTrail>().StartChain(OrganizationId);
        db.SaveChanges();
    }

    /// <summary>What the dialogs asked of the browser (copying, scrolling); loose, so every call is answered.</summary>
    public BunitJSInterop JSInterop => bunit.JSInterop;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    private const string OwnerId = "usr_test";

    public Caller Owner { get; } = new(OrganizationId, CallerKind.User, OwnerId, ScopeSet.Full, Livemode: true);

    public async Task<(IRenderedComponent<IComponent> Host, IDialogReference Dialog)> OpenAsync<TDialog>(DialogParameters<TDialog> parameters)
        where TDialog : IComponent
    {
        var host = bunit.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
        });
        var dialogs = bunit.Services.GetRequiredService<IDialogService>();
        IDialogReference? reference = null;
        await host.InvokeAsync(async () => reference = await dialogs.ShowAsync<TDialog>("Dialog", parameters));
        host.WaitForElement(".mud-dialog");
        return (host, reference!);
    }

    public async Task<CreatedApiKey> CreateKeyAsync(IReadOnlyList<string>? scopes, string name = "Existing key")
    {
        var result = await InScopeAsync<ApiKeyService, Backside.Core.Common.OperationResult<CreatedApiKey>>(
            keys => keys.CreateAsync(Owner, new CreateApiKeyCommand(name, "live", scopes)));
        return result.Value!;
    }

    public async Task<TResult> InScopeAsync<TService, TResult>(Func<TService, Task<TResult>> work) where TService : notnull
    {
        await using var scope = bunit.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public Task<ApiKey?> FindKeyAsync(string id) =>
        InScopeAsync<BacksideDbContext, ApiKey?>(db => db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == id));

    public Task<int> CountKeysAsync() => InScopeAsync<BacksideDbContext, int>(db => db.ApiKeys.CountAsync());

    public static Task ClickAsync(IRenderedComponent<IComponent> host, string text) =>
        host.FindAll("button").Single(b => b.TextContent.Trim() == text).ClickAsync(new());

    public static IElement Input(IRenderedComponent<IComponent> host, string label) =>
        host.FindAll(".mud-dialog .mud-input-control")
            .Single(c => c.QuerySelector("label")?.TextContent.Trim().TrimEnd('*') == label)
            .QuerySelector("input, textarea")!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await bunit.DisposeAsync();
        await keepAlive.DisposeAsync();
    }
}

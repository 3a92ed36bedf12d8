using System.Globalization;
using Backside.Core.ApiKeys;
using Backside.Core.Data;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Backside.Tests.Infrastructure;

/// <summary>
/// The real app (every middleware, the real database engine) on a database of its own (<see cref="TestDatabase"/>: a
/// SQLite file in a temp folder, or a new PostgreSQL database in the provider matrix), with a clock the test moves and
/// a counter of the SQL commands the app sends.
/// </summary>
public class BacksideAppFactory : WebApplicationFactory<Program>
{
    public const string Password = "Correct-Horse-9";

    /// <summary>
    /// A plan only tests have, as wide as the catalog allows, for tests that need keys no plan of appsettings.json would
    /// allow (a key at <see cref="ApiKeyLimits.MaxRateLimitPerMinute"/>): <see cref="ChangePlanAsync"/> moves an organization to it.
    /// </summary>
    public const string UnboundedPlan = "Unbounded";

    /// <summary>Whether this factory made its database, and so drops it when disposed.</summary>
    private readonly bool ownsDatabase;

    public BacksideAppFactory()
        : this(TestDatabase.Create(), ownsDatabase: true)
    {
    }

    /// <summary>An app on an existing database: a restart of an app stopped before, or a second instance.</summary>
    public static BacksideAppFactory OnDatabase(TestDatabase database) => new(database, ownsDatabase: false);

    /// <summary>An app on an existing SQLite file (for the tests about SQLite itself).</summary>
    public static BacksideAppFactory OnDatabase(string sqlitePath) => new(TestDatabase.OnSqliteFile(sqlitePath), ownsDatabase: false);

    protected BacksideAppFactory(TestDatabase database, bool ownsDatabase)
    {
        Database = database;
        this.ownsDatabase = ownsDatabase;
        contract = new(() => OpenApiContract.LoadAsync(base.CreateDefaultClient()));
    }

    /// <summary>The app's OpenAPI document, fetched once (at the first API response to check) and parsed once.</summary>
    private readonly Lazy<Task<OpenApiContract>> contract;

    public Task<OpenApiContract> ContractAsync() => contract.Value;

    public TestDatabase Database { get; }

    /// <summary>The SQLite file, for the tests that read it byte by byte (SQLite only).</summary>
    public string DatabasePath => Database.SqlitePath;

    public FakeTimeProvider Time { get; private init; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    public SqlCommandCounter Commands { get; private init; } = new();

    /// <summary>Every raw key this factory handed out, so a test can prove none of them reached the disk.</summary>
    public List<string> IssuedSecrets { get; } = [];

    /// <summary>Whether the app's clock is <see cref="Time"/>; browser tests keep the real clock for cookies and timers.</summary>
    protected virtual bool UseFakeTime => true;

    protected virtual TimeSpan UsageFlushInterval => TimeSpan.FromMinutes(5);

    protected virtual string FacilitatorUrl => "http://127.0.0.1:9/";

    /// <summary>Whether the app logs at the levels appsettings.json ships; by default tests log only warnings and errors.</summary>
    protected virtual bool UseShippedLogLevels => false;

    /// <summary>Sign-in budgets: generous, since the whole suite signs in from one address; the throttling tests go tight.</summary>
    protected virtual (int PerAddress, int PerAccount) SignInPermits => (1_000_000, 1_000_000);

    /// <summary>Lookups of unknown keys per address: generous for the same reason; the unknown-key tests go tight.</summary>
    protected virtual int UnknownKeyLookupsPerAddress => 1_000_000;

    /// <summary>x402 payments verified per address: generous too; the payment budget test goes tight.</summary>
    protected virtual int PaymentVerificationsPerAddress => 1_000_000;

    /// <summary>No floor under failed sign-ins: the suite fails hundreds on purpose; the timing test sets one.</summary>
    protected virtual TimeSpan SignInFailureFloor => TimeSpan.Zero;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:Provider", Database.Options.Provider);
        builder.UseSetting("ConnectionStrings:Backside", Database.Options.ConnectionString);
        builder.UseSetting("Usage:FlushInterval", UsageFlushInterval.ToString("c"));
        if (!UseShippedLogLevels)
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // No real facilitator in tests: a closed loopback port answers at once. X402AppFactory brings a fake one.
        builder.UseSetting("X402:FacilitatorUrl", FacilitatorUrl);
        builder.UseSetting("SignIn:RateLimits:PermitsPerAddress", SignInPermits.PerAddress.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("SignIn:RateLimits:PermitsPerAccount", SignInPermits.PerAccount.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("ApiKeys:UnknownKeys:LookupsPerAddress", UnknownKeyLookupsPerAddress.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("SignIn:Timing:FailureFloor", SignInFailureFloor.ToString("c"));
        builder.UseSetting("X402:VerificationsPerAddress", PaymentVerificationsPerAddress.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting($"Plans:{UnboundedPlan}:MaxRateLimitPerMinute", ApiKeyLimits.MaxRateLimitPerMinute.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting($"Plans:{UnboundedPlan}:MaxActiveKeys", "1000000");
        builder.UseSetting($"Plans:{UnboundedPlan}:UsageHistoryDays", "3650");
        builder.ConfigureServices(services =>
        {
            if (UseFakeTime)
                services.AddSingleton<TimeProvider>(Time);
            services.AddSingleton<IInterceptor>(Commands);
            services.AddTransient<IStartupFilter, TestClientAddressStartupFilter>();
        });
    }

    /// <summary>A confirmed user with a personal organization, as the Caller the dashboard would build for them.</summary>
    public async Task<Caller> CreateMemberAsync(string? email = null)
    {
        email ??= $"user-{Guid.NewGuid():N}@example.com";
        await using var scope = Services.CreateAsyncScope();
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true };
        var result = await scope.ServiceProvider.GetRequiredService<UserRegistration>().RegisterAsync(user, Password);
        Assert.True(result.Succeeded, string.Join(", ", result.Errors.Select(e => e.Description)));
        var membership = await scope.ServiceProvider.GetRequiredService<OrganizationService>().FindMembershipAsync(user.Id);
        return Caller.ForMember(membership!, user.Id);
    }

    public Task<CreatedApiKey> CreateKeyAsync(
        Caller caller, IReadOnlyList<string>? scopes = null, string environment = "live", DateTimeOffset? expiresAt = null, string name = "Test key") =>
        CreateKeyAsync(caller, new CreateApiKeyCommand(name, environment, scopes, expiresAt));

    public async Task<CreatedApiKey> CreateKeyAsync(Caller caller, CreateApiKeyCommand command)
    {
        await using var scope = Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync(caller, command);
        Assert.True(result.Succeeded, result.Error?.Message);
        IssuedSecrets.Add(result.Value!.Secret);
        // Ids sort by creation time to the millisecond; keep keys made one after another in that order.
        Time.Advance(TimeSpan.FromMilliseconds(1));
        return result.Value;
    }

    /// <summary>Runs <paramref name="action"/> with a service from a scope of its own, as one request would.</summary>
    public async Task<T> WithServiceAsync<TService, T>(Func<TService, Task<T>> action)
        where TService : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>Moves an organization to <paramref name="plan"/> as a platform operator would (audited, caches dropped).</summary>
    public async Task ChangePlanAsync(string organizationId, string plan, string operatorId = "usr_operator")
    {
        await using var scope = Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<OrganizationPlanService>().ChangePlanAsync(operatorId, organizationId, plan);
        Assert.True(result.Succeeded, result.Error?.Message);
    }

    public async Task RevokeAsync(Caller caller, string keyId)
    {
        await using var scope = Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().RevokeAsync(caller, keyId);
        Assert.True(result.Succeeded, result.Error?.Message);
    }

    // Every client of the factory ends in an OpenApiResponseValidator next to the server, so every API response a test
    // receives is checked against the document (after redirects and cookies, each response on its own). The base
    // methods are not virtual, hence `new`: a test only ever holds a BacksideAppFactory (WithWebHostBuilder below too).

    public new HttpClient CreateClient() => CreateClient(ClientOptions);

    /// <summary>The handlers <see cref="WebApplicationFactoryClientOptions"/> asks for, as the base method builds them.</summary>
    public new HttpClient CreateClient(WebApplicationFactoryClientOptions options)
    {
        var handlers = new List<DelegatingHandler>();
        if (options.AllowAutoRedirect)
            handlers.Add(new RedirectHandler(options.MaxAutomaticRedirections));
        if (options.HandleCookies)
            handlers.Add(new CookieContainerHandler());
        return CreateDefaultClient(options.BaseAddress, [.. handlers]);
    }

    public new HttpClient CreateDefaultClient(params DelegatingHandler[] handlers) =>
        base.CreateDefaultClient([.. handlers, new OpenApiResponseValidator(_ => ContractAsync())]);

    public new HttpClient CreateDefaultClient(Uri baseAddress, params DelegatingHandler[] handlers) =>
        base.CreateDefaultClient(baseAddress, [.. handlers, new OpenApiResponseValidator(_ => ContractAsync())]);

    /// <summary>The test server as a transport for clients built elsewhere (the Kiota client), its API answers checked too.</summary>
    public HttpMessageHandler CreateCheckedServerHandler() =>
        new OpenApiResponseValidator(_ => ContractAsync()) { InnerHandler = Server.CreateHandler() };

    /// <summary>
    /// The app with more configuration, on the same database and clock. Replaces the base method, whose factory would
    /// hand out clients without the validator.
    /// </summary>
    public new BacksideAppFactory WithWebHostBuilder(Action<IWebHostBuilder> configuration) => new Configured(this, configuration);

    public HttpClient CreateClientWithKey(string secret)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        return client;
    }

    /// <summary>A new organization, a key in it, and a client that sends the key.</summary>
    public async Task<(HttpClient Client, CreatedApiKey Key, Caller Owner)> CreateClientWithKeyAsync(
        IReadOnlyList<string>? scopes = null, string environment = "live", DateTimeOffset? expiresAt = null)
    {
        var owner = await CreateMemberAsync();
        var key = await CreateKeyAsync(owner, scopes, environment, expiresAt);
        return (CreateClientWithKey(key.Secret), key, owner);
    }

    public HttpClient CreateClientWithKey(string secret, string clientAddress)
    {
        var client = CreateClientWithKey(secret);
        client.DefaultRequestHeaders.Add(TestClientAddressStartupFilter.HeaderName, clientAddress);
        return client;
    }

    private IHostApplicationLifetime? lifetime;

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        return host;
    }

    /// <summary>
    /// Stops the app as a deployment would (SIGTERM): the app's own <c>Run</c> stops the host, hosted services finish
    /// their work, then the test reads the database. Calling <c>StopAsync</c> here instead would race <c>Run</c>,
    /// which disposes the host as soon as its own stop returns, possibly under a final usage flush still running.
    /// </summary>
    public async Task StopGracefullyAsync()
    {
        Assert.NotNull(lifetime);
        if (lifetime.ApplicationStopped.IsCancellationRequested)
            return;
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStopped.Register(() => stopped.TrySetResult());
        lifetime.StopApplication();
        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>For a factory on Kestrel: starts the server once and returns its address, such as <c>http://127.0.0.1:41234</c>.</summary>
    protected string KestrelAddress()
    {
        StartServer();
        return Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    }

    /// <summary>A DbContext on the same database, outside the app, for checking what was written.</summary>
    public BacksideDbContext OpenDatabase() => Database.Open();

    public override async ValueTask DisposeAsync()
    {
        // Every test ends with a graceful stop, so no final flush runs against a disposed host.
        if (lifetime is not null)
            await StopGracefullyAsync();
        await base.DisposeAsync();
        if (ownsDatabase)
            await Database.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// What <see cref="WithWebHostBuilder"/> returns: the parent's whole configuration (its overrides included), then
    /// the test's own; the parent's database, clock and command counter.
    /// </summary>
    private sealed class Configured : BacksideAppFactory
    {
        private readonly BacksideAppFactory parent;
        private readonly Action<IWebHostBuilder> configuration;

        public Configured(BacksideAppFactory parent, Action<IWebHostBuilder> configuration)
            : base(parent.Database, ownsDatabase: false)
        {
            this.parent = parent;
            this.configuration = configuration;
            Time = parent.Time;
            Commands = parent.Commands;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            parent.ConfigureWebHost(builder);
            configuration(builder);
        }
    }
}

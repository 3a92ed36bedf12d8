using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Backside.Core.ApiKeys;
using Backside.Core.Audit;
using Backside.Core.Common;
using Backside.Core.Data;
using Backside.Core.Organizations;
using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Backside.Tests.Api;

/// <summary>Plans (account tiers): a key's limit comes from its plan, the plan caps limits and keys, a 429 names the limit.</summary>
public class PlanLimitsTests(PlanLimitsTests.PlansAppFactory app) : IClassFixture<PlanLimitsTests.PlansAppFactory>
{
    /// <summary>A tiny plan next to appsettings.json's Free and Pro, so its limits are reached in a few requests.</summary>
    public sealed class PlansAppFactory : BacksideAppFactory
    {
        public const string Tiny = "Tiny";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting($"Plans:{Tiny}:DefaultRateLimitPerMinute", "2");
            builder.UseSetting($"Plans:{Tiny}:MaxRateLimitPerMinute", "4");
            builder.UseSetting($"Plans:{Tiny}:MaxActiveKeys", "3");
            builder.UseSetting($"Plans:{Tiny}:UsageHistoryDays", "2");
        }
    }

    private const string Tiny = PlansAppFactory.Tiny;

    [Fact]
    public async Task A_key_without_a_limit_works_under_its_plans_default_and_the_429_names_it()
    {
        var owner = await app.CreateMemberAsync();
        await app.ChangePlanAsync(owner.OrganizationId, Tiny);
        var key = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);
        var client = app.CreateClientWithKey(key.Secret);

        var first = await client.GetAsync("/api/v1/contacts");
        await client.GetAsync("/api/v1/contacts");
        var limited = await client.GetAsync("/api/v1/contacts");

        first.EnsureSuccessStatusCode();
        Assert.Equal("\"per-key\";q=2;w=60", Header(first, "RateLimit-Policy"));
        var problem = await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(2, problem.GetProperty("limit").GetInt32());
        Assert.Equal("plan_default", problem.GetProperty("limit_source").GetString());
        Assert.Equal(Tiny, problem.GetProperty("plan").GetString());
        Assert.StartsWith("This key's limit of 2 requests per minute (the Tiny plan's default) was reached. Try again in 30 seconds.",
            problem.GetProperty("detail").GetString());
        Assert.Equal(30, problem.GetProperty("retry_after").GetInt32());
    }

    [Fact]
    public async Task A_keys_own_limit_is_named_as_the_keys()
    {
        var owner = await app.CreateMemberAsync();
        var key = await app.CreateKeyAsync(owner, new CreateApiKeyCommand("Own", "live", [Scopes.ContactsRead], RateLimitPerMinute: 1));
        var client = app.CreateClientWithKey(key.Secret);

        (await client.GetAsync("/api/v1/contacts")).EnsureSuccessStatusCode();
        var problem = await (await client.GetAsync("/api/v1/contacts")).ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");

        Assert.Equal(1, problem.GetProperty("limit").GetInt32());
        Assert.Equal("key", problem.GetProperty("limit_source").GetString());
        Assert.Equal(PlanOptions.DefaultPlanName, problem.GetProperty("plan").GetString());
        Assert.StartsWith("This key's limit of 1 requests per minute was reached.", problem.GetProperty("detail").GetString());
    }

    /// <summary>
    /// The keys' credentials are cached (their limits with them) before the change; the change drops them on the way, so
    /// the very next request works under the new plan: the key's own 5 (Free allowed it) is above Tiny's maximum of 4.
    /// </summary>
    [Fact]
    public async Task After_a_plan_change_the_next_request_works_under_the_new_plans_limits()
    {
        var owner = await app.CreateMemberAsync();
        var own = await app.CreateKeyAsync(owner, new CreateApiKeyCommand("Own", "live", [Scopes.ContactsRead], RateLimitPerMinute: 5));
        var defaulted = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);
        var ownClient = app.CreateClientWithKey(own.Secret);
        var defaultedClient = app.CreateClientWithKey(defaulted.Secret);
        Assert.Equal("\"per-key\";q=5;w=60", Header(await ownClient.GetAsync("/api/v1/contacts"), "RateLimit-Policy"));
        Assert.Equal("\"per-key\";q=600;w=60", Header(await defaultedClient.GetAsync("/api/v1/contacts"), "RateLimit-Policy"));

        await app.ChangePlanAsync(owner.OrganizationId, Tiny);

        var clamped = await ownClient.GetAsync("/api/v1/contacts");
        Assert.Equal("\"per-key\";q=4;w=60", Header(clamped, "RateLimit-Policy"));
        Assert.Equal("\"per-key\";q=2;w=60", Header(await defaultedClient.GetAsync("/api/v1/contacts"), "RateLimit-Policy"));
        // What was spent before the change still counts (one budget per key): a few more reach the maximum.
        var limited = clamped;
        for (var i = 0; i < 10 && limited.StatusCode != HttpStatusCode.TooManyRequests; i++)
            limited = await ownClient.GetAsync("/api/v1/contacts");
        var problem = await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(4, problem.GetProperty("limit").GetInt32());
        Assert.Equal("plan_maximum", problem.GetProperty("limit_source").GetString());
        Assert.StartsWith("The Tiny plan's maximum of 4 requests per minute was reached.", problem.GetProperty("detail").GetString());

        // And back: on Pro the key's own 5 applies again, from the next request.
        await app.ChangePlanAsync(owner.OrganizationId, "Pro");
        Assert.Equal("\"per-key\";q=3000;w=60", Header(await defaultedClient.GetAsync("/api/v1/contacts"), "RateLimit-Policy"));
    }

    [Fact]
    public async Task Creating_or_changing_a_key_above_the_plans_maximum_is_400_naming_the_plan_and_its_ceiling()
    {
        var owner = await app.CreateMemberAsync();
        // At the ceiling itself, so the privilege rule lets it make a key at the ceiling.
        var admin = app.CreateClientWithKey((await app.CreateKeyAsync(owner,
            new CreateApiKeyCommand("Admin", "live", [Scopes.ApiKeysWrite, Scopes.ContactsRead], RateLimitPerMinute: 6000))).Secret);
        var key = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);

        var created = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "Fast", scopes = new[] { "contacts:read" }, rate_limit_per_minute = 6001 });
        var patched = await admin.PatchAsJsonAsync($"/api/v1/api-keys/{key.Key.Id}", new { rate_limit_per_minute = 6001 });
        var atCeiling = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "Ceiling", scopes = new[] { "contacts:read" }, rate_limit_per_minute = 6000 });

        foreach (var refused in new[] { created, patched })
        {
            var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
            var message = problem.GetProperty("errors").GetProperty("rate_limit_per_minute")[0].GetString();
            Assert.Contains("at most 6000 on the Free plan", message);
        }
        await atCeiling.ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Null((await Key(key.Key.Id)).RateLimitPerMinute);
    }

    [Fact]
    public async Task Creating_a_key_at_the_plans_maximum_of_active_keys_is_409_and_revoked_keys_do_not_count()
    {
        var owner = await app.CreateMemberAsync();
        await app.ChangePlanAsync(owner.OrganizationId, Tiny);
        var adminKey = await app.CreateKeyAsync(owner, new CreateApiKeyCommand("Admin", "live", [Scopes.ApiKeysWrite, Scopes.ContactsRead], RateLimitPerMinute: 4));
        var admin = app.CreateClientWithKey(adminKey.Secret);
        var second = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);
        var third = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);
        await app.WithServiceAsync<ApiKeyService, OperationResult<ApiKey>>(keys => keys.DeactivateAsync(owner, third.Key.Id));

        var refused = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "Fourth", scopes = new[] { "contacts:read" } });

        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict, "plan_limit_reached");
        Assert.StartsWith("The Tiny plan allows 3 active API keys", problem.GetProperty("detail").GetString());
        Assert.Equal(3, await app.WithServiceAsync<BacksideDbContext, int>(db => db.ApiKeys.CountAsync(k => k.OrganizationId == owner.OrganizationId)));

        await app.RevokeAsync(owner, second.Key.Id);
        var accepted = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "Fourth", scopes = new[] { "contacts:read" } });
        await accepted.ShouldBeJsonAsync(HttpStatusCode.Created);
        // The dashboard's path (a person) is refused the same way.
        var person = await app.WithServiceAsync<ApiKeyService, OperationResult<CreatedApiKey>>(
            keys => keys.CreateAsync(owner, new CreateApiKeyCommand("Fifth", "live", [Scopes.ContactsRead])));
        Assert.Equal("plan_limit_reached", person.Error?.Code);
    }

    [Fact]
    public async Task A_plan_change_is_audited_on_the_organizations_chain_with_the_operator_as_actor()
    {
        var owner = await app.CreateMemberAsync();

        await app.ChangePlanAsync(owner.OrganizationId, "Pro", operatorId: "usr_platform_operator");

        var events = await app.WithServiceAsync<BacksideDbContext, List<AuditEvent>>(db => db.AuditEvents.AsNoTracking()
            .Where(e => e.OrganizationId == owner.OrganizationId && e.Action == AuditActions.OrganizationPlanChanged).ToListAsync());
        var changed = Assert.Single(events);
        Assert.Equal("usr_platform_operator", changed.ActorId);
        Assert.Equal(AuditActorTypes.User, changed.ActorType);
        var changes = JsonDocument.Parse(changed.Changes).RootElement.GetProperty("plan");
        Assert.Equal("Free", changes.GetProperty("before").GetString());
        Assert.Equal("Pro", changes.GetProperty("after").GetString());
        var verification = await app.WithServiceAsync<AuditTrail, AuditVerification>(audit => audit.VerifyAsync(owner.OrganizationId));
        Assert.True(verification.IsIntact, verification.ToString());
    }

    [Fact]
    public async Task A_plan_change_to_an_unknown_plan_or_organization_is_refused_and_changes_nothing()
    {
        var owner = await app.CreateMemberAsync();

        var unknownPlan = await app.WithServiceAsync<OrganizationPlanService, OperationResult<Organization>>(
            plans => plans.ChangePlanAsync("usr_operator", owner.OrganizationId, "Platinum"));
        var unknownOrganization = await app.WithServiceAsync<OrganizationPlanService, OperationResult<Organization>>(
            plans => plans.ChangePlanAsync("usr_operator", "org_0000000000000000000000000000dead", "Pro"));

        Assert.Equal(ErrorKind.Validation, unknownPlan.Error?.Kind);
        Assert.Contains("Free, Pro", unknownPlan.Error!.FieldErrors!["plan"][0]);
        Assert.Equal(ErrorKind.NotFound, unknownOrganization.Error?.Kind);
        Assert.Equal("Free", (await app.WithServiceAsync<OrganizationPlanService, OrganizationPlan>(p => p.ForOrganizationAsync(owner.OrganizationId))).Name);
    }

    [Fact]
    public async Task Usage_shows_at_most_the_plans_history_and_a_range_wholly_before_it_is_empty()
    {
        var owner = await app.CreateMemberAsync();
        await app.ChangePlanAsync(owner.OrganizationId, Tiny);
        var key = await app.CreateKeyAsync(owner, new CreateApiKeyCommand("Usage", "live", [Scopes.UsageRead], RateLimitPerMinute: 4));
        var client = app.CreateClientWithKey(key.Secret);
        var now = app.Time.GetUtcNow();
        var hour = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero);
        var historyStart = hour.AddHours(1).AddDays(-2);

        var organization = await (await client.GetAsync($"/api/v1/usage?from={Iso(now.AddDays(-10))}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var hourly = await (await client.GetAsync($"/api/v1/api-keys/{key.Key.Id}/usage?from={Iso(now.AddDays(-5))}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var before = await client.GetAsync($"/api/v1/api-keys/{key.Key.Id}/usage?from={Iso(now.AddDays(-40))}&to={Iso(now.AddDays(-30))}&granularity=day");

        Assert.Equal(historyStart, organization.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(historyStart, hourly.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(48, hourly.GetProperty("data").GetArrayLength());
        var empty = await before.ShouldBeJsonAsync(HttpStatusCode.OK);
        var dayStart = new DateTimeOffset(historyStart.UtcDateTime.Date, TimeSpan.Zero).AddDays(1);
        Assert.Equal(dayStart, empty.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(dayStart, empty.GetProperty("to").GetDateTimeOffset());
        Assert.Equal(0, empty.GetProperty("data").GetArrayLength());
        Assert.Equal(0, empty.GetProperty("totals").GetProperty("requests").GetInt64());
    }

    [Fact]
    public void A_plan_whose_default_is_above_its_maximum_is_refused_at_start()
    {
        using var misconfigured = app.WithWebHostBuilder(b => b.UseSetting("Plans:Free:DefaultRateLimitPerMinute", "7000"));

        var error = Assert.Throws<OptionsValidationException>(() => misconfigured.CreateClient());

        Assert.Contains("Plans:Free: DefaultRateLimitPerMinute must not exceed MaxRateLimitPerMinute", error.Message);
    }

    [Fact]
    public void The_shipped_plans_are_Free_and_Pro_with_the_documented_values()
    {
        var plans = app.Services.GetRequiredService<IOptions<PlansOptions>>().Value;

        Assert.Equal((600, 6000, 100, 90), Values(plans["Free"]));
        Assert.Equal((3000, 60000, 10000, 400), Values(plans["Pro"]));

        static (int, int, int, int) Values(PlanOptions p) => (p.DefaultRateLimitPerMinute, p.MaxRateLimitPerMinute, p.MaxActiveKeys, p.UsageHistoryDays);
    }

    private Task<ApiKey> Key(string id) =>
        app.WithServiceAsync<BacksideDbContext, ApiKey>(db => db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == id));

    private static string Iso(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O", System.Globalization.CultureInfo.InvariantCulture));

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;
}

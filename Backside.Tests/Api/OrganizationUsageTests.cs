using System.Net;
using Backside.Core.ApiKeys;
using Backside.Core.Common;
using Backside.Core.Data;
using Backside.Core.Identity;
using Backside.Core.Usage;
using Backside.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Api;

/// <summary>The organization's usage over time: periods that follow the range, the environment split, and the bounds.</summary>
public class OrganizationUsageTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    [Fact]
    public async Task A_day_comes_by_the_hour_and_a_week_by_the_day_with_every_period_present()
    {
        var (owner, live, test, hour) = await OrganizationWithUsageAsync();

        var day = await ForOrganizationAsync(owner, hour.AddHours(-24));
        var week = await ForOrganizationAsync(owner, hour.AddDays(-7));

        Assert.Equal(UsageGranularity.Hour, day.Granularity);
        Assert.Equal(25, day.Points.Count);
        Assert.Equal(hour.AddHours(-24), day.Points[0].Start);
        Assert.Equal(5, day.Points.Single(p => p.Start == hour.AddHours(-3)).Counts.Success);
        Assert.Equal(2, day.Points.Single(p => p.Start == hour.AddHours(-2)).Counts.Unauthorized);
        Assert.Equal(7, day.Totals.Requests);
        Assert.Equal(UsageGranularity.Day, week.Granularity);
        Assert.Equal(8, week.Points.Count); // seven days after a partial first one
        Assert.Equal(hour.AddDays(-7), week.Points[0].Start);
        Assert.All(week.Points.Skip(1), p => Assert.Equal(TimeSpan.Zero, p.Start.UtcDateTime.TimeOfDay));
        Assert.Equal(10, week.Totals.Requests);
        Assert.Equal(week.Totals, week.Points.Aggregate(default(UsageCounts), (sum, p) => sum + p.Counts));
        Assert.Equal([live, test], week.TopKeys.Select(k => k.ApiKeyId));
    }

    [Fact]
    public async Task Live_and_test_are_counted_apart_and_a_test_key_never_sees_live_usage()
    {
        var (owner, live, test, hour) = await OrganizationWithUsageAsync();
        var testReader = await app.CreateKeyAsync(owner, [Scopes.UsageRead], environment: "test");

        var onlyLive = await ForOrganizationAsync(owner, hour.AddDays(-7), environment: "live");
        var onlyTest = await ForOrganizationAsync(owner, hour.AddDays(-7), environment: "test");
        var asTestKey = await (await app.CreateClientWithKey(testReader.Secret).GetAsync($"/api/v1/usage?from={Iso(hour.AddDays(-7))}"))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        var testKeyAsksLive = await (await app.CreateClientWithKey(testReader.Secret).GetAsync($"/api/v1/usage?from={Iso(hour.AddDays(-7))}&environment=live"))
            .ShouldBeJsonAsync(HttpStatusCode.OK);

        Assert.Equal((8, 5, 3), (onlyLive.Totals.Requests, onlyLive.Totals.Success, onlyLive.Totals.RateLimited));
        Assert.Equal([live], onlyLive.TopKeys.Select(k => k.ApiKeyId));
        Assert.Equal("live", onlyLive.Environment);
        Assert.Equal((2, 2), (onlyTest.Totals.Requests, onlyTest.Totals.Unauthorized));
        Assert.Equal([test], onlyTest.TopKeys.Select(k => k.ApiKeyId));
        Assert.Equal(2, asTestKey.GetProperty("totals").GetProperty("requests").GetInt64());
        Assert.Equal(2, asTestKey.GetProperty("data").EnumerateArray().Sum(p => p.GetProperty("counts").GetProperty("requests").GetInt64()));
        Assert.Equal(0, testKeyAsksLive.GetProperty("totals").GetProperty("requests").GetInt64());
    }

    [Fact]
    public async Task Without_parameters_the_answer_is_the_last_30_days_as_before_now_with_a_series_by_the_day()
    {
        var (owner, _, _, hour) = await OrganizationWithUsageAsync();
        var reader = await app.CreateKeyAsync(owner, [Scopes.UsageRead]);

        var usage = await (await app.CreateClientWithKey(reader.Secret).GetAsync("/api/v1/usage")).ShouldBeJsonAsync(HttpStatusCode.OK);

        Assert.Equal(hour.AddDays(-30), usage.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(hour.AddHours(1), usage.GetProperty("to").GetDateTimeOffset());
        Assert.Equal("day", usage.GetProperty("granularity").GetString());
        Assert.Equal(31, usage.GetProperty("data").GetArrayLength());
        // A live key counts only the live keys' requests.
        Assert.Equal(8, usage.GetProperty("totals").GetProperty("requests").GetInt64());
        Assert.Equal(8, usage.GetProperty("data").EnumerateArray().Sum(p => p.GetProperty("counts").GetProperty("requests").GetInt64()));
        Assert.Equal(JsonValueKindNull, usage.GetProperty("environment").ValueKind);
        Assert.Equal(1, usage.GetProperty("top_keys").GetArrayLength());
    }

    [Theory]
    [InlineData("?environment=staging", "environment")]
    [InlineData("?environment=LIVE", "environment")]
    [InlineData("?granularity=minute", "granularity")]
    [InlineData("?from=2026-11-23T12:00:00Z&to=2026-11-22T12:00:00Z", "from")]
    [InlineData("?from=2026-01-01T00:00:00Z&to=2026-11-22T12:00:00Z", "from")]
    [InlineData("?from=0001-01-01T00:00:00Z", "from")]
    [InlineData("?to=9999-12-31T23:59:59Z", "to")]
    public async Task Bad_ranges_and_filters_are_400s_naming_the_field(string query, string field)
    {
        var owner = await app.CreateMemberAsync();
        var reader = await app.CreateKeyAsync(owner, [Scopes.UsageRead]);

        var response = await app.CreateClientWithKey(reader.Secret).GetAsync($"/api/v1/usage{query}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task A_date_that_is_no_date_is_a_malformed_request()
    {
        var owner = await app.CreateMemberAsync();
        var reader = await app.CreateKeyAsync(owner, [Scopes.UsageRead]);

        var response = await app.CreateClientWithKey(reader.Secret).GetAsync("/api/v1/usage?from=yesterday");

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "malformed_request");
    }

    [Fact]
    public async Task A_key_without_usage_read_gets_no_usage()
    {
        var owner = await app.CreateMemberAsync();
        var worker = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);

        var response = await app.CreateClientWithKey(worker.Secret).GetAsync("/api/v1/usage?environment=live&granularity=hour");

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    /// <summary>
    /// A new organization with a live and a test key and usage written as the flush writes it: 5 successes 3 hours ago
    /// (live), 2 refusals (401) 2 hours ago (test), and 3 rate-limited 5 days ago (live).
    /// </summary>
    private async Task<(Caller Owner, string Live, string Test, DateTimeOffset Hour)> OrganizationWithUsageAsync()
    {
        var owner = await app.CreateMemberAsync();
        var live = (await app.CreateKeyAsync(owner, [Scopes.ContactsRead], name: "Live worker")).Key.Id;
        var test = (await app.CreateKeyAsync(owner, [Scopes.ContactsRead], environment: "test", name: "Test worker")).Key.Id;
        var now = app.Time.GetUtcNow();
        var hour = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BacksideDbContext>();
        db.UsageBuckets.AddRange(
            Bucket(owner, live, hour.AddHours(-3), new UsageCounts(5, 5, 0, 0, 0, 0, 0)),
            Bucket(owner, test, hour.AddHours(-2), new UsageCounts(2, 0, 2, 0, 2, 0, 0)),
            Bucket(owner, live, hour.AddDays(-5), new UsageCounts(3, 0, 3, 0, 0, 0, 3)));
        await db.SaveChangesAsync();
        return (owner, live, test, hour);
    }

    private static UsageBucket Bucket(Caller owner, string keyId, DateTimeOffset hour, UsageCounts c) => new()
    {
        ApiKeyId = keyId,
        OrganizationId = owner.OrganizationId,
        HourStart = hour,
        Requests = c.Requests,
        Success = c.Success,
        ClientErrors = c.ClientErrors,
        ServerErrors = c.ServerErrors,
        Unauthorized = c.Unauthorized,
        Forbidden = c.Forbidden,
        RateLimited = c.RateLimited,
    };

    private async Task<OrganizationUsage> ForOrganizationAsync(Caller caller, DateTimeOffset from, string? environment = null)
    {
        var result = await app.WithServiceAsync<UsageService, OperationResult<OrganizationUsage>>(u => u.ForOrganizationAsync(caller, from, null, environment));
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Value;
    }

    private static string Iso(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O"));
}

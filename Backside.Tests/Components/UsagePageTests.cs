using System.Globalization;
using Backside.Core.ApiKeys;
using Backside.Core.Organizations;
using Backside.Core.Usage;
using Backside.Web.Components.Pages.Settings.Usage;
using Backside.Web.Components.Shared;
using Bunit;
using MudBlazor;
using MudBlazor.Extensions;

namespace Backside.Tests.Components;

/// <summary>
/// The Usage page on a clock at Nov 23 2026 12:00 UTC, with a live key (5 successes at 09:00, 3 rate-limited 5 days
/// ago, 4 server errors 20 days ago) and a test key (2 refusals at 10:00).
/// </summary>
public sealed class UsagePageTests : IAsyncLifetime
{
    private const string LiveKey = "key_0193a0b1c2d37e4f8a9b0c1d2e3f4a71";
    private const string TestKey = "key_0193a0b1c2d37e4f8a9b0c1d2e3f4a72";
    private readonly PageTestHost test = new();

    [Fact]
    public void The_last_30_days_come_by_the_day_and_24_hours_by_the_hour()
    {
        var page = Open();

        Assert.Equal("14", Chart(page).GetAttribute("data-total"));
        Assert.Contains("by day", page.Find("[data-testid=usage-range-shown]").TextContent);
        Assert.Contains("Oct 25, 2026 00:00 UTC", page.Find("[data-testid=usage-range-shown]").TextContent);

        page.Find("[data-testid=usage-range] [data-value='24h']").Click();

        page.WaitForAssertion(() => Assert.Equal("7", Chart(page).GetAttribute("data-total")));
        Assert.Contains("Nov 22, 2026 12:00 UTC to Nov 23, 2026 13:00 UTC, by hour", page.Find("[data-testid=usage-range-shown]").TextContent);

        page.Find("[data-testid=usage-range] [data-value='7d']").Click();

        page.WaitForAssertion(() => Assert.Equal("10", Chart(page).GetAttribute("data-total")));
        Assert.Contains("Nov 17, 2026 00:00 UTC", page.Find("[data-testid=usage-range-shown]").TextContent);
    }

    [Fact]
    public void The_environment_filter_shows_only_that_modes_keys()
    {
        var page = Open();

        page.Find("[data-testid=usage-environment] [data-value='test']").Click();

        page.WaitForAssertion(() => Assert.Equal("2", Chart(page).GetAttribute("data-total")));
        Assert.Contains("Test worker", page.Find("[data-testid=top-keys]").TextContent);
        Assert.DoesNotContain("Live worker", page.Find("[data-testid=top-keys]").TextContent);
        Assert.Contains("test keys only", page.Find("[data-testid=usage-range-shown]").TextContent);

        page.Find("[data-testid=usage-environment] [data-value='live']").Click();

        page.WaitForAssertion(() => Assert.Equal("12", Chart(page).GetAttribute("data-total")));
        Assert.DoesNotContain("Test worker", page.Find("[data-testid=top-keys]").TextContent);
    }

    [Fact]
    public void The_toggles_are_named_radio_groups_whose_checked_item_follows_the_choice()
    {
        var page = Open();

        var range = page.Find("[data-testid=usage-range]");
        Assert.Equal("radiogroup", range.GetAttribute("role"));
        Assert.Equal("Range", range.GetAttribute("aria-label"));
        Assert.Equal("Environment", page.Find("[data-testid=usage-environment]").GetAttribute("aria-label"));
        Assert.Empty(page.FindAll("[role=checkbox], [role=listbox]"));
        Assert.All(range.QuerySelectorAll("button"), b => Assert.Equal("radio", b.GetAttribute("role")));
        Assert.Equal("true", range.QuerySelector("[data-value='30d']")!.GetAttribute("aria-checked"));

        range.QuerySelector("[data-value='24h']")!.Click();

        page.WaitForAssertion(() => Assert.Equal("true", page.Find("[data-testid=usage-range] [data-value='24h']").GetAttribute("aria-checked")));
        Assert.Equal("false", page.Find("[data-testid=usage-range] [data-value='30d']").GetAttribute("aria-checked"));
    }

    [Fact]
    public void Refusals_are_drawn_in_orange_to_red_and_success_in_blue_with_a_legend_naming_each()
    {
        var page = Open();

        var legend = page.FindAll(".mud-chart-legend-item")
            .ToDictionary(i => i.TextContent.Trim(), i => i.QuerySelector(".mud-chart-legend-marker")!.GetAttribute("style")!);

        Assert.Equal(UsageChart.Outcomes.Select(o => o.Name), legend.Keys);
        Assert.InRange(Hue(Colour(legend["Succeeded (2xx)"])), 190, 250);
        foreach (var refusal in new[] { "Refused (401/403)", "Rate limited (429)", "Other client errors (4xx)", "Server errors (5xx)" })
        {
            var hue = Hue(Colour(legend[refusal]));
            Assert.True(hue is <= 45 or >= 345, $"{refusal} is drawn at hue {hue:0}, outside the red-orange family");
        }
    }

    [Fact]
    public void The_chart_is_one_named_image_and_its_numbers_are_a_table_away()
    {
        var page = Open();
        page.Find("[data-testid=usage-range] [data-value='24h']").Click();
        page.WaitForAssertion(() => Assert.Equal("7", Chart(page).GetAttribute("data-total")));

        var image = page.Find("[data-testid=usage-chart-image]");
        Assert.Equal("img", image.GetAttribute("role"));
        Assert.Equal(
            "Requests by outcome per hour, Nov 22 12:00 to Nov 23 12:00: 7 requests; 5 succeeded (2xx), 2 refused (401/403), 0 rate limited (429), " +
            "0 other client errors (4xx), 0 server errors (5xx). Busiest hour: Nov 23 09:00 with 5.", image.GetAttribute("aria-label"));
        Assert.Empty(page.FindAll("[data-testid=usage-table]"));

        page.Find("[data-testid=usage-table-toggle]").Click();

        var rows = page.FindAll("[data-testid=usage-table] tbody tr");
        Assert.Equal(25, rows.Count);
        var tenOClock = rows.Single(r => r.QuerySelector("th")!.TextContent.Trim() == "Nov 23 10:00");
        Assert.Equal(["2", "0", "2", "0", "0", "0"], tenOClock.QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
        Assert.Equal("true", page.Find("[data-testid=usage-table-toggle]").GetAttribute("aria-expanded"));
    }

    [Fact]
    public void A_custom_range_offers_only_days_the_plan_keeps_and_asks_for_both_ends()
    {
        var page = Open();

        page.Find("[data-testid=usage-range] [data-value='custom']").Click();

        page.WaitForState(() => page.FindComponents<MudDateRangePicker>().Count == 1);
        var picker = page.FindComponent<MudDateRangePicker>();
        // Free keeps 90 days, the hour in progress counting as the last one: Aug 25 13:00 onwards, so Aug 26 is the first whole day.
        Assert.Equal(new DateTime(2026, 8, 26), picker.Instance.GetState(x => x.MinDate));
        Assert.Equal(new DateTime(2026, 11, 23), picker.Instance.GetState(x => x.MaxDate));
        // By default the last 7 days: the same numbers as the 7-day preset.
        page.WaitForAssertion(() => Assert.Equal("10", Chart(page).GetAttribute("data-total")));

        page.InvokeAsync(() => picker.Instance.DateRangeChanged.InvokeAsync(new DateRange(new DateTime(2026, 11, 3), null)));

        page.WaitForAssertion(() => Assert.Contains("Choose both a first and a last day.", page.Find("[data-testid=usage-problem]").TextContent));

        page.InvokeAsync(() => picker.Instance.DateRangeChanged.InvokeAsync(new DateRange(new DateTime(2026, 11, 3), new DateTime(2026, 11, 3))));

        page.WaitForAssertion(() => Assert.Equal("4", Chart(page).GetAttribute("data-total")));
        Assert.Contains("Nov 3, 2026 00:00 UTC to Nov 4, 2026 00:00 UTC, by hour", page.Find("[data-testid=usage-range-shown]").TextContent);
    }

    private IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> Open()
    {
        test.SignInAs(OrganizationRole.Viewer);
        var page = test.Render<UsagePage>();
        page.WaitForElement("[data-testid=usage-chart]");
        return page;
    }

    private static AngleSharp.Dom.IElement Chart(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> page) =>
        page.Find("[data-testid=usage-chart]");

    private static string Colour(string style) => style.Split("background-color:")[1].Trim().TrimEnd(';').Trim();

    private static double Hue(string hex)
    {
        var rgb = Enumerable.Range(0, 3).Select(i => int.Parse(hex.AsSpan(1 + 2 * i, 2), NumberStyles.HexNumber) / 255.0).ToArray();
        double max = rgb.Max(), min = rgb.Min(), d = max - min;
        if (d == 0)
            return 0;
        var hue = max == rgb[0] ? (rgb[1] - rgb[2]) / d % 6 : max == rgb[1] ? (rgb[2] - rgb[0]) / d + 2 : (rgb[0] - rgb[1]) / d + 4;
        return (hue * 60 + 360) % 360;
    }

    public async Task InitializeAsync()
    {
        var now = test.Time.GetUtcNow();
        await test.InScopeAsync(async db =>
        {
            db.ApiKeys.AddRange(Key(LiveKey, "Live worker", livemode: true, now), Key(TestKey, "Test worker", livemode: false, now));
            db.UsageBuckets.AddRange(
                Bucket(LiveKey, now.AddHours(-3), new UsageCounts(5, 5, 0, 0, 0, 0, 0)),
                Bucket(TestKey, now.AddHours(-2), new UsageCounts(2, 0, 2, 0, 2, 0, 0)),
                Bucket(LiveKey, now.AddDays(-5), new UsageCounts(3, 0, 3, 0, 0, 0, 3)),
                Bucket(LiveKey, now.AddDays(-20), new UsageCounts(4, 0, 0, 4, 0, 0, 0)));
            return await db.SaveChangesAsync();
        });
    }

    private static ApiKey Key(string id, string name, bool livemode, DateTimeOffset now) => new()
    {
        Id = id,
        OrganizationId = PageTestHost.OrganizationId,
        Name = name,
        Livemode = livemode,
        Scopes = [Scopes.ContactsRead],
        CreatedBy = PageTestHost.UserIdOf(OrganizationRole.Owner),
        SecretHash = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32),
        Hint = livemode ? "bsk_live_a1B2…x9Yz" : "bsk_test_a1B2…x9Yz",
        CreatedAt = now.AddDays(-60),
        SecretCreatedAt = now.AddDays(-60),
    };

    private static UsageBucket Bucket(string keyId, DateTimeOffset hour, UsageCounts c) => new()
    {
        ApiKeyId = keyId,
        OrganizationId = PageTestHost.OrganizationId,
        HourStart = hour,
        Requests = c.Requests,
        Success = c.Success,
        ClientErrors = c.ClientErrors,
        ServerErrors = c.ServerErrors,
        Unauthorized = c.Unauthorized,
        Forbidden = c.Forbidden,
        RateLimited = c.RateLimited,
    };

    public Task DisposeAsync() => test.DisposeAsync();
}

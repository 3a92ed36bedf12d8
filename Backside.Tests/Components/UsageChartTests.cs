using Backside.Core.Usage;
using Backside.Web.Components.Shared;
using Bunit;
using MudBlazor.Services;

namespace Backside.Tests.Components;

public sealed class UsageChartTests : IAsyncLifetime
{
    private readonly BunitContext bunit = new();

    public UsageChartTests()
    {
        bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        bunit.Services.AddMudServices();
    }

    [Fact]
    public void Renders_the_buckets_it_is_given_by_outcome()
    {
        var start = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
        UsagePoint[] points =
        [
            new(start, new UsageCounts(10, 7, 3, 0, 1, 1, 1)),
            new(start.AddHours(1), default),
            new(start.AddHours(2), new UsageCounts(4, 2, 0, 2, 0, 0, 0)),
        ];

        var chart = bunit.Render<UsageChart>(p => p.Add(c => c.Points, points).Add(c => c.Granularity, UsageGranularity.Hour));

        Assert.Equal("14", chart.Find("[data-testid=usage-chart]").GetAttribute("data-total"));
        foreach (var legend in new[] { "Succeeded (2xx)", "Refused (401/403)", "Rate limited (429)", "Other client errors (4xx)", "Server errors (5xx)" })
            Assert.Contains(legend, chart.Markup);
        Assert.Contains("10:00", chart.Markup);
        Assert.NotEmpty(chart.FindAll("svg path, svg rect"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await bunit.DisposeAsync();
}

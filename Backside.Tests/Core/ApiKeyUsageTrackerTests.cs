using System.Net;
using Backside.Core.Usage;
using Microsoft.Extensions.Time.Testing;

namespace Backside.Tests.Core;

public class ApiKeyUsageTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider time = new(T0);

    [Fact]
    public void Many_uses_of_one_key_become_one_entry_with_the_latest_use()
    {
        var tracker = new ApiKeyUsageTracker(time);
        tracker.Record("key_a", T0.AddSeconds(2), IPAddress.Parse("10.0.0.2"));
        tracker.Record("key_a", T0.AddSeconds(1), IPAddress.Parse("10.0.0.1"));
        tracker.Record("key_b", T0, IPAddress.Parse("10.0.0.9"));

        var uses = tracker.Drain().LastUses.ToDictionary(e => e.Key, e => e.Value);

        Assert.Equal(2, uses.Count);
        Assert.Equal(new KeyUse(T0.AddSeconds(2), "10.0.0.2"), uses["key_a"]);
        Assert.True(tracker.Drain().IsEmpty);
    }

    [Fact]
    public void Requests_are_counted_by_hour_and_outcome()
    {
        var tracker = new ApiKeyUsageTracker(time);
        foreach (var status in new[] { 200, 201, 401, 403, 404, 429, 500 })
            tracker.CountRequest("key_a", "org_a", status, scope: null);
        time.Advance(TimeSpan.FromHours(1));
        tracker.CountRequest("key_a", "org_a", 200, scope: null);

        var buckets = tracker.Drain().Buckets.OrderBy(b => b.HourStart).ToList();

        Assert.Equal(2, buckets.Count);
        Assert.Equal(new UsageCounts(7, 2, 4, 1, 1, 1, 1), buckets[0].Counts);
        Assert.Equal(T0, buckets[0].HourStart);
        Assert.Equal(new UsageCounts(1, 1, 0, 0, 0, 0, 0), buckets[1].Counts);
    }

    [Fact]
    public void Concurrent_counting_and_draining_loses_and_doubles_nothing()
    {
        var tracker = new ApiKeyUsageTracker(time);
        long drained = 0;
        var counting = Parallel.ForAsync(0, 100_000, (i, _) =>
        {
            tracker.CountRequest($"key_{i % 7}", "org_a", 200, scope: null);
            return ValueTask.CompletedTask;
        });
        while (!counting.IsCompleted)
            drained += tracker.Drain().Buckets.Sum(b => b.Counts.Requests);
        drained += tracker.Drain().Buckets.Sum(b => b.Counts.Requests);

        Assert.Equal(100_000, drained);
    }

    [Fact]
    public void A_restored_batch_is_counted_again_and_merges_with_newer_uses()
    {
        var tracker = new ApiKeyUsageTracker(time);
        tracker.Record("key_a", T0, IPAddress.Parse("10.0.0.1"));
        tracker.CountRequest("key_a", "org_a", 200, "contacts:read");
        var failed = tracker.Drain();
        tracker.Record("key_a", T0.AddSeconds(5), IPAddress.Parse("10.0.0.5"));
        tracker.CountRequest("key_a", "org_a", 200, scope: null);

        tracker.Restore(failed);
        var retry = tracker.Drain();

        Assert.Equal(new KeyUse(T0.AddSeconds(5), "10.0.0.5"), Assert.Single(retry.LastUses).Value);
        Assert.Equal(2, Assert.Single(retry.Buckets).Counts.Requests);
        Assert.Equal(("key_a", "contacts:read", T0), Assert.Single(retry.Scopes));
    }

    [Fact]
    public void Only_successful_requests_count_as_exercising_a_scope()
    {
        var tracker = new ApiKeyUsageTracker(time);
        tracker.CountRequest("key_a", "org_a", 403, "contacts:write");
        tracker.CountRequest("key_a", "org_a", 200, "contacts:read");

        Assert.Equal(["contacts:read"], tracker.Drain().Scopes.Select(s => s.Scope));
    }
}

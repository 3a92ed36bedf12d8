using Backside.Core.Usage;

namespace Backside.Tests.Core;

public class ApiKeyUsageTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Many_uses_of_one_key_become_one_entry_with_the_latest_use()
    {
        var tracker = new ApiKeyUsageTracker();
        tracker.Record("key_a", T0.AddSeconds(2), "10.0.0.2");
        tracker.Record("key_a", T0.AddSeconds(1), "10.0.0.1");
        tracker.Record("key_b", T0, "10.0.0.9");

        var batch = tracker.Drain().ToDictionary(e => e.Key, e => e.Value);

        Assert.Equal(2, batch.Count);
        Assert.Equal(new KeyUse(T0.AddSeconds(2), "10.0.0.2"), batch["key_a"]);
        Assert.Empty(tracker.Drain());
    }

    [Fact]
    public void A_restored_batch_merges_with_newer_uses_and_keeps_the_latest()
    {
        var tracker = new ApiKeyUsageTracker();
        tracker.Record("key_a", T0, "10.0.0.1");
        var failed = tracker.Drain();
        tracker.Record("key_a", T0.AddSeconds(5), "10.0.0.5");

        tracker.Restore(failed);

        Assert.Equal(new KeyUse(T0.AddSeconds(5), "10.0.0.5"), Assert.Single(tracker.Drain()).Value);
    }
}

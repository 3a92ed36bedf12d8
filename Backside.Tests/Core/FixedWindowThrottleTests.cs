using System.Net;
using Backside.Core.Common;
using Microsoft.Extensions.Time.Testing;

namespace Backside.Tests.Core;

public class FixedWindowThrottleTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_partition_gets_its_limit_per_window_and_is_told_when_the_window_ends()
    {
        var throttle = new FixedWindowThrottle(time);
        for (var i = 0; i < 3; i++)
            Assert.True(throttle.Acquire("a", 3, TimeSpan.FromMinutes(1)).Allowed);
        time.Advance(TimeSpan.FromSeconds(20));

        var refused = throttle.Acquire("a", 3, TimeSpan.FromMinutes(1));

        Assert.False(refused.Allowed);
        Assert.Equal(40, refused.RetryAfterSeconds);
        Assert.True(throttle.Acquire("b", 3, TimeSpan.FromMinutes(1)).Allowed);
        time.Advance(TimeSpan.FromSeconds(40));
        Assert.True(throttle.Acquire("a", 3, TimeSpan.FromMinutes(1)).Allowed);
    }

    [Fact]
    public void Peek_tells_whether_a_permit_is_left_without_spending_it()
    {
        var throttle = new FixedWindowThrottle(time);
        for (var i = 0; i < 5; i++)
            Assert.True(throttle.Peek("a", 1, TimeSpan.FromMinutes(1)).Allowed);
        Assert.True(throttle.Acquire("a", 1, TimeSpan.FromMinutes(1)).Allowed);
        Assert.False(throttle.Peek("a", 1, TimeSpan.FromMinutes(1)).Allowed);
    }

    [Fact]
    public void Past_the_partition_cap_new_partitions_share_one_overflow_budget()
    {
        var throttle = new FixedWindowThrottle(time);
        for (var i = 0; i < FixedWindowThrottle.MaxPartitions; i++)
            throttle.Acquire($"p{i}", 2, TimeSpan.FromMinutes(1));

        // Minted partitions beyond the cap add no rows: together they get one partition's budget.
        Assert.True(throttle.Acquire("new-1", 2, TimeSpan.FromMinutes(1)).Allowed);
        Assert.True(throttle.Acquire("new-2", 2, TimeSpan.FromMinutes(1)).Allowed);
        Assert.False(throttle.Acquire("new-3", 2, TimeSpan.FromMinutes(1)).Allowed);
        // Known partitions keep their own.
        Assert.True(throttle.Acquire("p7", 2, TimeSpan.FromMinutes(1)).Allowed);

        // Once their windows end, the old rows are swept and new partitions get rows of their own again.
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.True(throttle.Acquire("new-3", 1, TimeSpan.FromMinutes(1)).Allowed);
        Assert.False(throttle.Acquire("new-3", 1, TimeSpan.FromMinutes(1)).Allowed);
        Assert.True(throttle.Acquire("new-4", 1, TimeSpan.FromMinutes(1)).Allowed);
    }

    [Theory]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64")]
    [InlineData("::1", "::/64")]
    public void Addresses_are_partitioned_one_by_one_for_IPv4_and_by_64_for_IPv6(string address, string partition) =>
        Assert.Equal(partition, FixedWindowThrottle.AddressPartition(IPAddress.Parse(address)));

    [Fact]
    public void No_address_is_a_partition_of_its_own() =>
        Assert.Equal("unknown", FixedWindowThrottle.AddressPartition(null));
}

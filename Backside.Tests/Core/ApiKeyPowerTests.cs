using System.Net;
using Backside.Core.ApiKeys;

namespace Backside.Tests.Core;

/// <summary>The privilege rule itself, dimension by dimension, including the edges the API matrix does not reach.</summary>
public class ApiKeyPowerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static ApiKeyPower Power(
        string[]? scopes = null, bool livemode = true, DateTimeOffset? expiresAt = null, string[]? ips = null,
        string[]? referrers = null, int rateLimit = 600) =>
        new(ScopeSet.FromStored(scopes), livemode, expiresAt, (ips ?? []).Select(s => IPNetwork.Parse(s)).ToArray(), referrers ?? [], rateLimit);

    [Theory]
    [InlineData(new[] { "contacts:write" }, new[] { "contacts:read" }, true)]
    [InlineData(new[] { "contacts:read" }, new[] { "contacts:write" }, false)]
    [InlineData(new[] { "contacts:write", "usage:read" }, new[] { "usage:read", "contacts:write" }, true)]
    [InlineData(new[] { "contacts:write" }, null, false)]
    [InlineData(null, null, true)]
    [InlineData(null, new[] { "audit:read" }, true)]
    public void Scopes_are_covered_by_the_same_or_a_write_scope(string[]? outer, string[]? inner, bool covered) =>
        AssertVerdict(Power(scopes: outer).Covers(Power(scopes: inner)), covered, PowerDimensions.Scopes);

    [Theory]
    [InlineData(true, true, true)]
    [InlineData(false, false, true)]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    public void Mode_must_be_the_same(bool outer, bool inner, bool covered) =>
        AssertVerdict(Power(livemode: outer).Covers(Power(livemode: inner)), covered, PowerDimensions.Environment);

    [Theory]
    [InlineData(null, null, true)]
    [InlineData(null, 5, true)]
    [InlineData(10, 10, true)]
    [InlineData(10, 9, true)]
    [InlineData(10, 11, false)]
    [InlineData(10, null, false)]
    public void A_key_that_never_expires_is_covered_only_by_one_that_never_expires(int? outerDays, int? innerDays, bool covered) =>
        AssertVerdict(
            Power(expiresAt: outerDays is null ? null : Now.AddDays(outerDays.Value))
                .Covers(Power(expiresAt: innerDays is null ? null : Now.AddDays(innerDays.Value))),
            covered, PowerDimensions.ExpiresAt);

    [Theory]
    [InlineData(new string[0], new string[0], true)]
    [InlineData(new string[0], new[] { "203.0.113.0/24" }, true)]
    [InlineData(new[] { "203.0.113.0/24" }, new string[0], false)]
    [InlineData(new[] { "203.0.113.0/24" }, new[] { "203.0.113.128/25", "203.0.113.7/32" }, true)]
    [InlineData(new[] { "203.0.113.0/24" }, new[] { "203.0.112.0/23" }, false)]
    [InlineData(new[] { "203.0.113.0/24", "198.51.100.0/24" }, new[] { "198.51.100.9/32", "203.0.113.9/32" }, true)]
    [InlineData(new[] { "203.0.113.0/24" }, new[] { "203.0.113.9/32", "198.51.100.9/32" }, false)]
    [InlineData(new[] { "2001:db8::/32" }, new[] { "2001:db8:1::/48" }, true)]
    [InlineData(new[] { "2001:db8::/32" }, new[] { "2001:db9::/48" }, false)]
    [InlineData(new[] { "0.0.0.0/0" }, new[] { "2001:db8::/48" }, false)]
    public void Every_block_of_the_inner_allowlist_must_lie_inside_the_outer_one(string[] outer, string[] inner, bool covered) =>
        AssertVerdict(Power(ips: outer).Covers(Power(ips: inner)), covered, PowerDimensions.AllowedIps);

    [Theory]
    [InlineData(new string[0], new[] { "app.example.com" }, true)]
    [InlineData(new[] { "app.example.com" }, new string[0], false)]
    [InlineData(new[] { "app.example.com" }, new[] { "app.example.com" }, true)]
    [InlineData(new[] { "app.example.com" }, new[] { "api.example.com" }, false)]
    [InlineData(new[] { "*.example.com" }, new[] { "app.example.com" }, true)]
    [InlineData(new[] { "*.example.com" }, new[] { "*.eu.example.com" }, true)]
    [InlineData(new[] { "*.example.com" }, new[] { "example.com" }, false)]
    [InlineData(new[] { "*.example.com" }, new[] { "*.com" }, false)]
    [InlineData(new[] { "*.example.com" }, new[] { "badexample.com" }, false)]
    [InlineData(new[] { "app.example.com" }, new[] { "*.app.example.com" }, false)]
    public void Every_referrer_pattern_of_the_inner_key_must_be_matched_by_the_outer_one(string[] outer, string[] inner, bool covered) =>
        AssertVerdict(Power(referrers: outer).Covers(Power(referrers: inner)), covered, PowerDimensions.AllowedReferrers);

    [Theory]
    [InlineData(100, 100, true)]
    [InlineData(100, 1, true)]
    [InlineData(100, 101, false)]
    public void The_inner_limit_may_not_exceed_the_outer_one(int outer, int inner, bool covered) =>
        AssertVerdict(Power(rateLimit: outer).Covers(Power(rateLimit: inner)), covered, PowerDimensions.RateLimitPerMinute);

    [Fact]
    public void A_key_covers_itself()
    {
        var power = Power(["contacts:write"], true, Now.AddDays(1), ["10.0.0.0/8"], ["*.example.com"], 10);

        Assert.False(power.Covers(power).Denied);
    }

    private static void AssertVerdict(Coverage coverage, bool covered, string dimension)
    {
        Assert.Equal(!covered, coverage.Denied);
        if (!covered)
        {
            Assert.Equal(dimension, coverage.Dimension);
            Assert.False(string.IsNullOrWhiteSpace(coverage.Reason));
        }
    }
}

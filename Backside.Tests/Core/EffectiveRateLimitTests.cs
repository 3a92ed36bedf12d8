using Backside.Core.ApiKeys;

namespace Backside.Tests.Core;

public class EffectiveRateLimitTests
{
    [Fact]
    public void A_keys_own_limit_within_the_plans_maximum_is_the_keys()
    {
        var limit = EffectiveRateLimit.Of(120, "Free", 600, 6000);

        Assert.Equal(new EffectiveRateLimit(120, RateLimitSource.Key, "Free"), limit);
        Assert.Equal("This key's limit of 120 requests per minute", limit.Describe());
    }

    [Fact]
    public void A_key_without_a_limit_gets_the_plans_default()
    {
        var limit = EffectiveRateLimit.Of(null, "Free", 600, 6000);

        Assert.Equal(new EffectiveRateLimit(600, RateLimitSource.PlanDefault, "Free"), limit);
        Assert.Equal("This key's limit of 600 requests per minute (the Free plan's default)", limit.Describe());
        Assert.Equal("plan_default", limit.Source.Name());
    }

    [Fact]
    public void A_keys_own_limit_above_the_plans_maximum_is_clamped_to_it()
    {
        var limit = EffectiveRateLimit.Of(10_000, "Free", 600, 6000);

        Assert.Equal(new EffectiveRateLimit(6000, RateLimitSource.PlanMaximum, "Free"), limit);
        Assert.Equal("The Free plan's maximum of 6,000 requests per minute", limit.Describe());
        Assert.Equal("plan_maximum", limit.Source.Name());
    }

    [Fact]
    public void A_limit_at_the_plans_maximum_is_still_the_keys()
    {
        Assert.Equal(RateLimitSource.Key, EffectiveRateLimit.Of(6000, "Free", 600, 6000).Source);
    }

    [Fact]
    public void The_credential_works_under_its_effective_limit()
    {
        var credential = new ApiKeyCredential("key_1", "org_1", true, null, ApiKeyStatus.Active, null, 9000, [], [], new byte[32], null,
            "Free", 600, 6000);

        Assert.Equal(new EffectiveRateLimit(6000, RateLimitSource.PlanMaximum, "Free"), credential.RateLimit);
    }
}

using Backside.Web.Payments;

namespace Backside.Tests.Payments;

public class X402OptionsValidatorTests
{
    private static X402Options Valid() => new()
    {
        PayTo = "0x3325a78425F17a7E487Eb5666b2bFd93aBb06c70",
        Networks = ["base-sepolia", "base"],
        FacilitatorUrl = "https://x402.org/facilitator",
        Routes = [new() { Method = "GET", Pattern = "/api/v1/contacts", Price = "10000", Description = "List contacts" }],
    };

    private static IEnumerable<string> Errors(X402Options options) =>
        new X402OptionsValidator().Validate(null, options).Failures ?? [];

    [Fact]
    public void The_default_shape_is_valid() => Assert.Empty(Errors(Valid()));

    public static TheoryData<string, Action<X402Options>> Broken() => new()
    {
        { "PayTo", o => o.PayTo = "0x1234" },
        { "PayTo", o => o.PayTo = "0x0000000000000000000000000000000000000000" },
        { "Networks", o => o.Networks = [] },
        { "unknown network 'ethereum'", o => o.Networks = ["ethereum"] },
        { "must start with '/'", o => o.Routes[0].Pattern = "api/v1/contacts" },
        { "method 'FETCH'", o => o.Routes[0].Method = "FETCH" },
        { "price '0'", o => o.Routes[0].Price = "0" },
        { "price '0.01'", o => o.Routes[0].Price = "0.01" },
        { "price '-5'", o => o.Routes[0].Price = "-5" },
        { "priced more than once", o => o.Routes.Add(new() { Method = "get", Pattern = "/api/v1/contacts/", Price = "5" }) },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void A_misconfiguration_is_named_on_start(string expected, Action<X402Options> breakIt)
    {
        var options = Valid();
        breakIt(options);

        Assert.Contains(Errors(options), e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_disabled_rail_is_not_checked() => Assert.Empty(Errors(new X402Options { Enabled = false }));
}

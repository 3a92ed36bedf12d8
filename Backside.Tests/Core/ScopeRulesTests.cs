using Backside.Core.ApiKeys;

namespace Backside.Tests.Core;

public class ScopeRulesTests
{
    [Fact]
    public void Catalog_holds_the_scopes_of_the_design()
    {
        Assert.Equal(
            ["contacts:read", "contacts:write", "api-keys:read", "api-keys:write", "usage:read", "audit:read",
             "members:read", "members:write", "organization:read", "organization:write"],
            Scopes.All);
    }

    [Theory]
    [InlineData("contacts:write", "contacts:read", true)]
    [InlineData("contacts:write", "contacts:write", true)]
    [InlineData("contacts:read", "contacts:read", true)]
    [InlineData("contacts:read", "contacts:write", false)]
    [InlineData("contacts:write", "api-keys:read", false)]
    [InlineData("api-keys:write", "api-keys:read", true)]
    [InlineData("api-keys:write", "contacts:read", false)]
    [InlineData("contacts:write", "contacts:readx", false)]
    [InlineData("contacts:write", "xcontacts:read", false)]
    [InlineData("write", "read", false)]
    public void Write_includes_read_in_the_same_domain_only(string granted, string required, bool allowed)
    {
        Assert.Equal(allowed, Scopes.Implies(granted, required));
    }

    [Fact]
    public void Full_access_allows_every_scope()
    {
        Assert.All(Scopes.All, scope => Assert.True(ScopeSet.Full.Allows(scope)));
    }

    [Fact]
    public void A_scoped_set_allows_only_what_it_holds_or_implies()
    {
        var set = ScopeSet.Of(["contacts:write", "usage:read"]);

        Assert.True(set.Allows("contacts:read"));
        Assert.True(set.Allows("contacts:write"));
        Assert.True(set.Allows("usage:read"));
        Assert.False(set.Allows("api-keys:read"));
        Assert.False(set.Allows("audit:read"));
    }

    [Fact]
    public void Coverage_finds_the_first_scope_a_caller_cannot_grant()
    {
        var caller = ScopeSet.Of(["contacts:write", "api-keys:write"]);

        Assert.Null(caller.FirstNotCovered(ScopeSet.Of(["contacts:read", "api-keys:write"])));
        Assert.Equal("usage:read", caller.FirstNotCovered(ScopeSet.Of(["contacts:read", "usage:read"])));
        Assert.Equal("full access", caller.FirstNotCovered(ScopeSet.Full));
        Assert.Null(ScopeSet.Full.FirstNotCovered(ScopeSet.Full));
    }

    [Fact]
    public void Scope_sets_are_sorted_and_deduplicated()
    {
        var set = ScopeSet.Of(["usage:read", "contacts:read", "usage:read"]);

        Assert.Equal(["contacts:read", "usage:read"], set.Values);
    }
}

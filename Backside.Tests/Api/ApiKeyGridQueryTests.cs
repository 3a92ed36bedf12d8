using Backside.Core.ApiKeys;
using Backside.Core.Identity;
using Backside.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Api;

/// <summary>The dashboard grid's query: paging, sorting and search run in the database, within one organization.</summary>
[Trait("Providers", "Both")]
public class ApiKeyGridQueryTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    [Fact]
    public async Task Pages_count_only_the_organizations_unrevoked_keys()
    {
        var owner = await app.CreateMemberAsync();
        for (var i = 1; i <= 12; i++)
            await app.CreateKeyAsync(owner, [Scopes.ContactsRead], name: $"Key {i:00}");
        var revoked = await app.CreateKeyAsync(owner, [Scopes.ContactsRead], name: "Revoked");
        await app.RevokeAsync(owner, revoked.Key.Id);
        await app.CreateClientWithKeyAsync(); // another organization's key

        var first = await SearchAsync(owner, new ApiKeyGridQuery(Page: 0, PageSize: 5));
        var last = await SearchAsync(owner, new ApiKeyGridQuery(Page: 2, PageSize: 5));
        var withRevoked = await SearchAsync(owner, new ApiKeyGridQuery(Page: 0, PageSize: 100, IncludeRevoked: true));

        Assert.Equal(12, first.TotalCount);
        Assert.Equal(["Key 12", "Key 11", "Key 10", "Key 09", "Key 08"], first.Items.Select(k => k.Name));
        Assert.Equal(["Key 02", "Key 01"], last.Items.Select(k => k.Name));
        Assert.Equal(13, withRevoked.TotalCount);
    }

    [Fact]
    public async Task Sorts_by_the_chosen_column()
    {
        var owner = await app.CreateMemberAsync();
        foreach (var name in new[] { "bravo", "Alpha", "charlie" })
            await app.CreateKeyAsync(owner, [Scopes.ContactsRead], name: name);

        var byName = await SearchAsync(owner, new ApiKeyGridQuery(0, 10, SortBy: ApiKeySortField.Name, Descending: false));
        var oldestFirst = await SearchAsync(owner, new ApiKeyGridQuery(0, 10, SortBy: ApiKeySortField.CreatedAt, Descending: false));

        Assert.Equal(["Alpha", "bravo", "charlie"], byName.Items.Select(k => k.Name));
        Assert.Equal(["bravo", "Alpha", "charlie"], oldestFirst.Items.Select(k => k.Name));
    }

    [Fact]
    public async Task Search_matches_name_case_insensitively_or_the_key_hint()
    {
        var owner = await app.CreateMemberAsync();
        await app.CreateKeyAsync(owner, [Scopes.ContactsRead], name: "Production deploy");
        var staging = await app.CreateKeyAsync(owner, [Scopes.ContactsRead], name: "Staging");
        await app.CreateKeyAsync(owner, [Scopes.ContactsRead], name: "100%_literal");

        var byName = await SearchAsync(owner, new ApiKeyGridQuery(0, 10, Search: "DEPLOY"));
        var byPrefix = await SearchAsync(owner, new ApiKeyGridQuery(0, 10, Search: staging.Secret[..13]));
        var byLastFour = await SearchAsync(owner, new ApiKeyGridQuery(0, 10, Search: staging.Secret[^4..]));
        var wildcard = await SearchAsync(owner, new ApiKeyGridQuery(0, 10, Search: "%_"));

        Assert.Equal(["Production deploy"], byName.Items.Select(k => k.Name));
        Assert.Contains(byPrefix.Items, k => k.Id == staging.Key.Id);
        Assert.Contains(byLastFour.Items, k => k.Id == staging.Key.Id);
        Assert.Equal(["100%_literal"], wildcard.Items.Select(k => k.Name));
    }

    private async Task<ApiKeyGridPage> SearchAsync(Caller caller, ApiKeyGridQuery query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ApiKeyService>().SearchAsync(caller, query);
    }
}

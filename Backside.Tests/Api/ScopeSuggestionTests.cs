using System.Net.Http.Json;
using Backside.Core.ApiKeys;
using Backside.Core.Common;
using Backside.Core.Usage;
using Backside.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Api;

/// <summary>Moves the clock a month, so it has an app of its own.</summary>
[Trait("Providers", "Both")]
public class ScopeSuggestionTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    [Fact]
    public async Task A_key_that_only_read_contacts_for_a_month_is_offered_just_that_and_narrowing_is_audited()
    {
        var owner = await app.CreateMemberAsync();
        var key = await app.CreateKeyAsync(owner, [Scopes.ContactsWrite, Scopes.ApiKeysRead]);
        Assert.Null(await SuggestAsync(key.Key.Id)); // too young to judge

        app.Time.Advance(TimeSpan.FromDays(31));
        var client = app.CreateClientWithKey(key.Secret);
        (await client.GetAsync("/api/v1/contacts")).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/api/v1/api-keys", new { name = "x", scopes = new[] { "contacts:read" } })).Dispose(); // 403: no scope recorded
        await FlushAsync();

        var suggestion = await SuggestAsync(key.Key.Id);
        Assert.Equal(["contacts:read"], suggestion);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().UpdateAsync(owner, key.Key.Id,
                new UpdateApiKeyCommand { Scopes = new Optional<IReadOnlyList<string>?>(true, suggestion) });
            Assert.Equal(["contacts:read"], result.Value!.Scopes);
        }
        Assert.Null(await SuggestAsync(key.Key.Id)); // nothing left to narrow
        await using var db = app.OpenDatabase();
        Assert.Equal("api_key.updated", (await db.AuditEvents.Where(e => e.ApiKeyId == key.Key.Id).OrderByDescending(e => e.Sequence).FirstAsync()).Action);
    }

    [Fact]
    public async Task A_key_that_used_every_scope_it_holds_gets_no_suggestion()
    {
        var owner = await app.CreateMemberAsync();
        var key = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);
        app.Time.Advance(TimeSpan.FromDays(31));
        (await app.CreateClientWithKey(key.Secret).GetAsync("/api/v1/contacts")).EnsureSuccessStatusCode();
        await FlushAsync();

        Assert.Null(await SuggestAsync(key.Key.Id));
    }

    [Fact]
    public async Task Keys_idle_for_thirty_days_are_listed_as_unused()
    {
        var owner = await app.CreateMemberAsync();
        await app.CreateKeyAsync(owner, [Scopes.ContactsRead], name: "Idle");
        var busy = await app.CreateKeyAsync(owner, [Scopes.ContactsRead], name: "Busy");
        app.Time.Advance(TimeSpan.FromDays(31));
        (await app.CreateClientWithKey(busy.Secret).GetAsync("/api/v1/contacts")).EnsureSuccessStatusCode();
        await FlushAsync();
        await app.CreateKeyAsync(owner, [Scopes.ContactsRead], name: "New");

        await using var scope = app.Services.CreateAsyncScope();
        var unused = await scope.ServiceProvider.GetRequiredService<UsageService>().UnusedKeysAsync(owner);

        Assert.Equal(["Idle"], unused.Select(k => k.Name));
    }

    private async Task FlushAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ApiKeyUsageFlusher>().FlushAsync(CancellationToken.None);
    }

    private async Task<IReadOnlyList<string>?> SuggestAsync(string keyId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Backside.Core.Data.BacksideDbContext>();
        var key = await db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == keyId);
        return await scope.ServiceProvider.GetRequiredService<UsageService>().SuggestNarrowerScopesAsync(key);
    }
}

using System.Net;
using Backside.Core.ApiKeys;
using Backside.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Authentication;

/// <summary>
/// Issue 13: well-formed keys that match nothing (anyone can mint them; the checksum is public) cost one lookup each,
/// are remembered briefly in a bounded cache, and each address may cause only so many such lookups.
/// </summary>
public class UnknownKeyTests(UnknownKeyAppFactory app) : IClassFixture<UnknownKeyAppFactory>
{
    /// <summary>Static: xunit makes a new instance per test, and the app (with its budgets) is shared by the class.</summary>
    private static int nextAddress;

    [Fact]
    public async Task An_unknown_key_sent_again_within_the_cache_lifetime_reaches_the_database_once()
    {
        var address = NewAddress();
        var minted = ApiKeyFormat.Generate(livemode: true);

        var before = app.Commands.Count;
        await (await SendAsync(minted, address)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
        var afterFirst = app.Commands.Count;
        for (var i = 0; i < 3; i++)
            await (await SendAsync(minted, address)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");

        Assert.Equal(1, afterFirst - before);
        Assert.Equal(afterFirst, app.Commands.Count);

        // Past its lifetime it is looked up again.
        app.Time.Advance(TimeSpan.FromSeconds(31));
        await (await SendAsync(minted, address)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
        Assert.Equal(afterFirst + 1, app.Commands.Count);
    }

    [Fact]
    public async Task An_address_that_spent_its_unknown_key_lookups_gets_429_without_a_lookup_until_the_window_ends()
    {
        var address = NewAddress();
        for (var i = 0; i < UnknownKeyAppFactory.PerAddress; i++)
            await (await SendAsync(ApiKeyFormat.Generate(livemode: true), address)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");

        var before = app.Commands.Count;
        var refused = await SendAsync(ApiKeyFormat.Generate(livemode: true), address);

        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(before, app.Commands.Count);
        var retryAfter = problem.GetProperty("retry_after").GetInt32();
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal(TimeSpan.FromSeconds(retryAfter), refused.Headers.RetryAfter?.Delta);
        Assert.False(refused.Headers.Contains("WWW-Authenticate"));

        // Another address has its own budget; this one has a new one when the window ends.
        await (await SendAsync(ApiKeyFormat.Generate(livemode: true), NewAddress())).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
        app.Time.Advance(TimeSpan.FromSeconds(61));
        await (await SendAsync(ApiKeyFormat.Generate(livemode: true), address)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task Real_keys_do_not_spend_the_budget_and_work_from_an_address_that_spent_it()
    {
        var owner = await app.CreateMemberAsync();
        var known = await app.CreateKeyAsync(owner, scopes: null);
        var address = NewAddress();
        // Looked up (and cached) once, never counted: a real key is not an unknown one.
        for (var i = 0; i < UnknownKeyAppFactory.PerAddress + 2; i++)
            await (await SendAsync(known.Secret, address)).ShouldBeJsonAsync(HttpStatusCode.OK);
        for (var i = 0; i < UnknownKeyAppFactory.PerAddress; i++)
            await (await SendAsync(ApiKeyFormat.Generate(livemode: true), address)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
        await (await SendAsync(ApiKeyFormat.Generate(livemode: true), address)).ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");

        await (await SendAsync(known.Secret, address)).ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_unknown_key_cache_never_holds_more_than_its_size_whatever_is_sent()
    {
        for (var i = 0; i < UnknownKeyAppFactory.Remembered * 4; i++)
            await (await SendAsync(ApiKeyFormat.Generate(livemode: i % 2 == 0), NewAddress())).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");

        var remembered = app.Services.GetRequiredService<CachedApiKeyCredentialStore>().RememberedUnknownKeys;
        Assert.InRange(remembered, 1, UnknownKeyAppFactory.Remembered);
    }

    [Fact]
    public async Task The_ipv6_budget_is_per_64_block_so_rotating_addresses_inside_it_gains_nothing()
    {
        var block = $"2001:db8:{Interlocked.Increment(ref nextAddress) + 0x7000:x}:1";
        for (var i = 0; i < UnknownKeyAppFactory.PerAddress; i++)
            await (await SendAsync(ApiKeyFormat.Generate(livemode: true), $"{block}:{i:x}::{i + 1:x}")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");

        await (await SendAsync(ApiKeyFormat.Generate(livemode: true), $"{block}:ffff:ffff:ffff:ffff")).ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
    }

    private async Task<HttpResponseMessage> SendAsync(string key, string address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/contacts");
        request.Headers.Authorization = new("Bearer", key);
        request.Headers.Add(TestClientAddressStartupFilter.HeaderName, address);
        return await app.CreateClient().SendAsync(request);
    }

    private static string NewAddress()
    {
        var n = Interlocked.Increment(ref nextAddress);
        return $"198.51.{n / 250}.{n % 250 + 1}";
    }
}

using System.Net;
using Backside.Client;
using Backside.Client.Models;
using Backside.Core.ApiKeys;
using Backside.Core.Identity;
using Backside.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Backside.Tests.Client;

/// <summary>The generated client through its entry point, against the running app (the test server as transport).</summary>
public class BacksideClientTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    [Fact]
    public async Task Create_returns_the_new_key_and_its_secret()
    {
        var (client, _, _) = await ClientWithKeyAsync();

        var created = await client.Api.V1.ApiKeys.PostAsync(new CreateApiKeyRequest { Name = "CI deploy", Scopes = [Scopes.ContactsRead] });

        Assert.NotNull(created);
        Assert.StartsWith("bsk_live_", created.Key, StringComparison.Ordinal);
        Assert.Equal("CI deploy", created.Name);
        Assert.Equal([Scopes.ContactsRead], created.Scopes);
        var fetched = await client.Api.V1.ApiKeys[created.Id].GetAsync();
        Assert.Equal(created.Hint, fetched?.Hint);
    }

    [Fact]
    public async Task List_pages_with_limit_and_starting_after()
    {
        var (client, key, owner) = await ClientWithKeyAsync();
        for (var i = 0; i < 3; i++)
            await app.CreateKeyAsync(owner, name: $"Key {i}");

        var first = await client.Api.V1.ApiKeys.GetAsync(r => r.QueryParameters.Limit = 3);
        var second = await client.Api.V1.ApiKeys.GetAsync(r =>
        {
            r.QueryParameters.Limit = 3;
            r.QueryParameters.StartingAfter = first!.Data![^1].Id;
        });

        Assert.Equal(3, first?.Data?.Count);
        Assert.True(first?.HasMore);
        Assert.Single(second!.Data!);
        Assert.False(second.HasMore);
        var ids = first!.Data!.Concat(second.Data!).Select(k => k.Id).ToList();
        Assert.Equal(4, ids.Distinct().Count());
        Assert.Contains(key.Key.Id, ids);
    }

    [Fact]
    public async Task Rotate_with_grace_keeps_the_old_secret_working_until_the_grace_ends()
    {
        var (client, _, owner) = await ClientWithKeyAsync();
        var target = await app.CreateKeyAsync(owner, scopes: [Scopes.ContactsRead]);

        var rotated = await client.Api.V1.ApiKeys[target.Key.Id].Rotate.PostAsync(new RotateApiKeyRequest { GracePeriodSeconds = 3600 });

        Assert.NotNull(rotated);
        Assert.Equal(target.Key.Id, rotated.Id);
        Assert.NotEqual(target.Secret, rotated.Key);
        Assert.Equal(app.Time.GetUtcNow().AddHours(1), rotated.PreviousSecretExpiresAt);
        using var old = app.CreateClientWithKey(target.Secret);
        Assert.Equal(HttpStatusCode.OK, (await old.GetAsync(new Uri("/api/v1/ping", UriKind.Relative))).StatusCode);
        app.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await old.GetAsync(new Uri("/api/v1/ping", UriKind.Relative))).StatusCode);
        using var renewed = ClientFor(rotated.Key!);
        Assert.NotNull(await renewed.Api.V1.Ping.GetAsync());
    }

    [Fact]
    public async Task Patch_leaves_out_what_is_not_set_clears_what_is_set_to_null_and_sets_the_rest()
    {
        var (client, _, owner) = await ClientWithKeyAsync();
        var target = await app.CreateKeyAsync(owner, new CreateApiKeyCommand("Before", "live", [Scopes.ContactsRead],
            ExpiresAt: app.Time.GetUtcNow().AddDays(30), RateLimitPerMinute: 120, AllowedIps: ["203.0.113.0/24"]));

        var patched = await client.Api.V1.ApiKeys[target.Key.Id].PatchAsync(
            new UpdateApiKeyRequest { Name = "After", ExpiresAt = null, RateLimitPerMinute = null });

        var stored = await client.Api.V1.ApiKeys[target.Key.Id].GetAsync();
        foreach (var key in new[] { patched, stored })
        {
            Assert.NotNull(key);
            Assert.Equal("After", key.Name); // set
            Assert.Null(key.ExpiresAt); // null: cleared
            Assert.Null(key.RateLimitPerMinute); // null: back to the default
            Assert.Equal([Scopes.ContactsRead], key.Scopes); // not set: unchanged
            Assert.Equal(["203.0.113.0/24"], key.AllowedIps); // not set: unchanged
        }
    }

    [Fact]
    public async Task Patch_with_scopes_set_to_null_gives_full_access()
    {
        var (client, _, owner) = await ClientWithKeyAsync();
        var target = await app.CreateKeyAsync(owner, scopes: [Scopes.ContactsRead], name: "Narrow");

        var patched = await client.Api.V1.ApiKeys[target.Key.Id].PatchAsync(new UpdateApiKeyRequest { Scopes = null });

        Assert.Null(patched?.Scopes);
        Assert.Equal("Narrow", patched?.Name);
    }

    [Fact]
    public async Task A_403_is_thrown_as_a_typed_problem_naming_the_scope_needed()
    {
        var owner = await app.CreateMemberAsync();
        var key = await app.CreateKeyAsync(owner, scopes: [Scopes.ContactsRead]);
        using var client = ClientFor(key.Secret);

        var problem = await Assert.ThrowsAsync<Problem>(() => client.Api.V1.ApiKeys.GetAsync());

        Assert.Equal(403, problem.ResponseStatusCode);
        Assert.Equal("insufficient_scope", problem.Code);
        Assert.Equal(Scopes.ApiKeysRead, problem.RequiredScope);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
        Assert.Equal(problem.Detail, problem.Message); // what a caller's log line shows
    }

    [Fact]
    public async Task A_429_with_a_long_Retry_After_is_thrown_at_once_as_a_typed_problem()
    {
        var owner = await app.CreateMemberAsync();
        var key = await app.CreateKeyAsync(owner, new CreateApiKeyCommand("One a minute", "live", [Scopes.ContactsRead], RateLimitPerMinute: 1));
        var transport = new RecordingTransport(app.CreateCheckedServerHandler());
        using var client = ClientFor(key.Secret, transport);
        Assert.NotNull(await client.Api.V1.Ping.GetAsync());

        var problem = await Assert.ThrowsAsync<Problem>(() => client.Api.V1.Ping.GetAsync());

        Assert.Equal(429, problem.ResponseStatusCode);
        Assert.Equal("rate_limited", problem.Code);
        Assert.Equal(60, problem.RetryAfter);
        Assert.Equal(["60"], problem.ResponseHeaders["Retry-After"]);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.TooManyRequests], transport.Statuses); // 60 s is over the 30 s the client waits
    }

    [Fact]
    public async Task Revoke_ends_the_key()
    {
        var (client, _, owner) = await ClientWithKeyAsync();
        var target = await app.CreateKeyAsync(owner, scopes: [Scopes.ContactsRead]);

        await client.Api.V1.ApiKeys[target.Key.Id].DeleteAsync();

        var revoked = await client.Api.V1.ApiKeys[target.Key.Id].GetAsync();
        Assert.Equal(Backside.Client.Models.ApiKeyStatus.Revoked, revoked?.Status);
        Assert.NotNull(revoked?.RevokedAt);
        using var old = app.CreateClientWithKey(target.Secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await old.GetAsync(new Uri("/api/v1/ping", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_429_is_retried_after_its_Retry_After_and_then_succeeds()
    {
        // 60 a minute: after the burst, one more each second, so the refused request's Retry-After is 1 s.
        var owner = await app.CreateMemberAsync();
        var key = await app.CreateKeyAsync(owner, new CreateApiKeyCommand("Paced", "live", [Scopes.ContactsRead], RateLimitPerMinute: 60));
        using (var burst = app.CreateClientWithKey(key.Secret))
        {
            for (var i = 0; i < 60; i++)
                Assert.Equal(HttpStatusCode.OK, (await burst.GetAsync(new Uri("/api/v1/ping", UriKind.Relative))).StatusCode);
        }
        var transport = new RecordingTransport(app.CreateCheckedServerHandler());
        using var client = ClientFor(key.Secret, transport);

        var call = client.Api.V1.Ping.GetAsync();
        await transport.FirstTooManyRequests.WaitAsync(TimeSpan.FromSeconds(10));
        await AdvanceUntilDoneAsync(app.Time, call);

        Assert.NotNull(await call);
        Assert.Equal([HttpStatusCode.TooManyRequests, HttpStatusCode.OK], transport.Statuses);
    }

    [Fact]
    public async Task Every_request_carries_the_key_as_a_bearer_token()
    {
        var transport = StubTransport(HttpStatusCode.OK);
        using var client = new BacksideClient("bsk_test_example", new Uri("https://backside.example"), transport);

        await client.Api.V1.Ping.GetAsync();

        Assert.Equal(["Bearer bsk_test_example"], transport.Authorizations);
    }

    [Fact]
    public async Task A_client_on_the_callers_HttpClient_sends_the_key_and_leaves_the_HttpClient_open()
    {
        var transport = StubTransport(HttpStatusCode.OK);
        using var http = new HttpClient(transport) { BaseAddress = new Uri("https://backside.example/") };

        using (var client = new BacksideClient("bsk_test_example", http))
            await client.Api.V1.Ping.GetAsync();
        using var after = await http.GetAsync(new Uri("/api/v1/ping", UriKind.Relative));

        Assert.Equal(["Bearer bsk_test_example", null], transport.Authorizations);
        Assert.Equal("https://backside.example/api/v1/ping", transport.Uris[0]);
    }

    [Fact]
    public async Task Retries_stop_after_the_configured_number()
    {
        var time = new FakeTimeProvider();
        var transport = StubTransport(HttpStatusCode.TooManyRequests, retryAfterSeconds: 1);
        using var client = new BacksideClient("bsk_test_example", new Uri("https://backside.example"), transport,
            new BacksideClientOptions { MaxRetries = 2, TimeProvider = time });

        var call = client.Api.V1.Ping.GetAsync();
        await transport.FirstTooManyRequests.WaitAsync(TimeSpan.FromSeconds(10));
        await AdvanceUntilDoneAsync(time, call);

        var problem = await Assert.ThrowsAsync<Problem>(() => call);
        Assert.Equal("rate_limited", problem.Code);
        Assert.Equal(3, transport.Statuses.Count);
    }

    [Fact]
    public async Task A_Retry_After_longer_than_the_maximum_is_not_waited_out()
    {
        var transport = StubTransport(HttpStatusCode.TooManyRequests, retryAfterSeconds: 31);
        using var client = new BacksideClient("bsk_test_example", new Uri("https://backside.example"), transport,
            new BacksideClientOptions { MaxRetryAfter = TimeSpan.FromSeconds(30), TimeProvider = new FakeTimeProvider() });

        var problem = await Assert.ThrowsAsync<Problem>(() => client.Api.V1.Ping.GetAsync());

        Assert.Equal(31, problem.RetryAfter);
        Assert.Single(transport.Statuses);
    }

    [Fact]
    public async Task Cancelling_during_the_wait_ends_the_call()
    {
        var transport = StubTransport(HttpStatusCode.TooManyRequests, retryAfterSeconds: 5);
        using var client = new BacksideClient("bsk_test_example", new Uri("https://backside.example"), transport,
            new BacksideClientOptions { TimeProvider = new FakeTimeProvider() });
        using var cancellation = new CancellationTokenSource();

        var call = client.Api.V1.Ping.GetAsync(cancellationToken: cancellation.Token);
        await transport.FirstTooManyRequests.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Single(transport.Statuses);
    }

    /// <summary>A new organization, a key with full access in it, and the client with that key.</summary>
    private async Task<(BacksideClient Client, CreatedApiKey Key, Caller Owner)> ClientWithKeyAsync()
    {
        var owner = await app.CreateMemberAsync();
        var key = await app.CreateKeyAsync(owner);
        return (ClientFor(key.Secret), key, owner);
    }

    private BacksideClient ClientFor(string secret, HttpMessageHandler? transport = null) =>
        new(secret, app.Server.BaseAddress, transport ?? app.CreateCheckedServerHandler(), new BacksideClientOptions { TimeProvider = app.Time });

    /// <summary>A transport that answers every request with <paramref name="status"/> (a problem body for an error).</summary>
    private static RecordingTransport StubTransport(HttpStatusCode status, int? retryAfterSeconds = null) =>
        new((_, _) =>
        {
            var response = new HttpResponseMessage(status);
            if (status == HttpStatusCode.OK)
            {
                response.Content = new StringContent("""{"ok":true}""", System.Text.Encoding.UTF8, "application/json");
            }
            else
            {
                response.Content = new StringContent(
                    $$"""{"type":"urn:backside:problem:rate_limited","title":"Rate limit exceeded","status":{{(int)status}},"code":"rate_limited","retry_after":{{retryAfterSeconds}}}""",
                    System.Text.Encoding.UTF8, "application/problem+json");
                if (retryAfterSeconds is { } seconds)
                    response.Headers.RetryAfter = new(TimeSpan.FromSeconds(seconds));
            }
            return Task.FromResult(response);
        });

    /// <summary>
    /// Moves the fake clock a second at a time until <paramref name="call"/> finishes (a bounded number of steps): the
    /// retry's wait runs on that clock, and the app's rate limit too when it is the app's clock.
    /// </summary>
    private static async Task AdvanceUntilDoneAsync(FakeTimeProvider time, Task call)
    {
        for (var step = 0; step < 100 && !call.IsCompleted; step++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(call, Task.Delay(TimeSpan.FromMilliseconds(20)));
        }
    }
}

using System.Net;
using Backside.Core.ApiKeys;
using Backside.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Backside.Tests.Authentication;

/// <summary>What a flood of refused credentials leaves in the log with the shipped configuration.</summary>
public class RefusalLoggingTests
{
    private const string SummaryCategory = "Backside.Web.Authentication.RefusalSummaryService";

    [Fact]
    public async Task A_burst_of_refused_credentials_logs_nothing_but_one_summary_a_minute_with_the_counts_by_code()
    {
        await using var app = new ShippedLoggingAppFactory();
        var owner = await app.CreateMemberAsync();
        var revoked = await app.CreateKeyAsync(owner);
        await app.RevokeAsync(owner, revoked.Key.Id);
        var client = app.CreateClient();
        await SettleStartupLogsAsync(app, client);
        var before = app.Logs.Entries.Count;

        var sent = await SendRefusedBurstAsync(client, revoked.Secret, count: 1000);

        Assert.Empty(Loud(app.Logs.Entries.Skip(before)));

        app.Time.Advance(TimeSpan.FromMinutes(1));
        await WaitUntilAsync(() => app.Logs.Entries.Any(e => e.Category == SummaryCategory));
        // A second minute with no refusals adds nothing.
        app.Time.Advance(TimeSpan.FromMinutes(1));
        await Task.Delay(200);

        var loud = Loud(app.Logs.Entries.Skip(before));
        var summary = Assert.Single(loud);
        Assert.Equal(SummaryCategory, summary.Category);
        Assert.Equal(LogLevel.Warning, summary.Level);
        Assert.Equal("1,000 requests refused in the last minute: 500 invalid_api_key, 250 api_key_revoked, 250 invalid_access_token.",
            summary.Message);
        AssertNoSecretIn(app.Logs.Entries, sent.Concat(app.IssuedSecrets));
    }

    [Fact]
    public async Task Rate_limited_and_ambiguous_requests_are_counted_in_the_summary_too()
    {
        await using var app = new ShippedLoggingAppFactory();
        var owner = await app.CreateMemberAsync();
        var limited = await app.CreateKeyAsync(owner, new CreateApiKeyCommand("Limited", RateLimitPerMinute: 2));
        var client = app.CreateClientWithKey(limited.Secret);
        await SettleStartupLogsAsync(app, client);
        var before = app.Logs.Entries.Count;

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.GetAsync("/api/v1/api-keys");
            statuses.Add(response.StatusCode);
        }
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/api-keys");
            request.Headers.Add("X-API-Key", limited.Secret);
            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3),
            HttpStatusCode.BadRequest, HttpStatusCode.BadRequest], statuses);

        app.Time.Advance(TimeSpan.FromMinutes(1));
        await WaitUntilAsync(() => app.Logs.Entries.Any(e => e.Category == SummaryCategory));

        var summary = Assert.Single(Loud(app.Logs.Entries.Skip(before)));
        Assert.Equal("5 requests refused in the last minute: 3 rate_limited, 2 ambiguous_credentials.", summary.Message);
    }

    [Fact]
    public async Task Not_even_the_debug_and_trace_lines_of_refused_credentials_carry_a_secret()
    {
        await using var app = new ShippedLoggingAppFactory { CaptureEverything = true };
        var owner = await app.CreateMemberAsync();
        var revoked = await app.CreateKeyAsync(owner);
        await app.RevokeAsync(owner, revoked.Key.Id);
        var pair = await app.CreateKeyAsync(owner);
        var client = app.CreateClient();

        var sent = await SendRefusedBurstAsync(client, revoked.Secret, count: 40);
        // The pair form with the secret of one key and the id of another.
        using var mismatch = new HttpRequestMessage(HttpMethod.Get, "/api/v1/api-keys");
        mismatch.Headers.Add("X-Api-Key", revoked.Key.Id);
        mismatch.Headers.Add("X-Api-Secret", pair.Secret);
        using var mismatched = await client.SendAsync(mismatch);
        Assert.Equal(HttpStatusCode.Unauthorized, mismatched.StatusCode);

        Assert.Contains(app.Logs.Entries, e => e.Level == LogLevel.Debug && e.Category == "Backside.Web.Authentication.ApiKeyHandler");
        AssertNoSecretIn(app.Logs.Entries, sent.Concat(app.IssuedSecrets));
    }

    /// <summary>
    /// <paramref name="count"/> requests, each refused with 401: in turn a malformed key, a well-formed key with a
    /// valid checksum that matches nothing, the revoked key, and a bearer token that is no valid access token.
    /// </summary>
    private static async Task<List<string>> SendRefusedBurstAsync(HttpClient client, string revokedSecret, int count)
    {
        var sent = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var credential = (i % 4) switch
            {
                0 => $"bsk_live_{Guid.NewGuid():N}",
                1 => ApiKeyFormat.Generate(livemode: true),
                2 => revokedSecret,
                _ => $"eyJhbGciOiJIUzI1NiJ9.{Guid.NewGuid():N}.{Guid.NewGuid():N}",
            };
            sent.Add(credential);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/api-keys");
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {credential}");
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        return sent;
    }

    private static void AssertNoSecretIn(IReadOnlyList<LogEntry> entries, IEnumerable<string> secrets)
    {
        var all = secrets.Distinct().ToList();
        foreach (var entry in entries)
            Assert.DoesNotContain(all, secret => entry.Message.Contains(secret, StringComparison.Ordinal)
                || entry.Exception?.Contains(secret, StringComparison.Ordinal) == true);
    }

    private static List<LogEntry> Loud(IEnumerable<LogEntry> entries) => [.. entries.Where(e => e.Level >= LogLevel.Information)];

    /// <summary>
    /// The one-off warnings of a test host belong to the start, not to the burst: the facilitator check on its closed
    /// test port (a background service), and HTTPS redirection finding no HTTPS port (on the first request).
    /// </summary>
    private static async Task SettleStartupLogsAsync(ShippedLoggingAppFactory app, HttpClient client)
    {
        using var first = await client.GetAsync("/health");
        await WaitUntilAsync(() => app.Logs.Entries.Any(e => e.Category.EndsWith("FacilitatorStartupCheck", StringComparison.Ordinal)));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The awaited log line never came.");
            await Task.Delay(20);
        }
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Backside.Tests.Infrastructure;

namespace Backside.Tests.Security;

/// <summary>Lockout tells nothing either: an email without an account locks out after five failures, as a real one does.</summary>
public class UnknownEmailLockoutTests(RealClockAppFactory app) : IClassFixture<RealClockAppFactory>
{
    [Fact]
    public async Task Unknown_and_real_emails_answer_alike_through_five_failures_and_the_lockout()
    {
        var real = $"real-{Guid.NewGuid():N}@example.com";
        await app.CreateMemberAsync(real);
        var unknown = $"nobody-{Guid.NewGuid():N}@example.com";

        var codes = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            // The right password for the real account once locked: a lockout does not look at it.
            var password = i >= 5 ? BacksideAppFactory.Password : "wrong";
            var forReal = await app.LoginAsync(real, password);
            var forUnknown = await app.LoginAsync(unknown, password);
            Assert.Equal(forReal.StatusCode, forUnknown.StatusCode);
            var (body, retryAfter) = await BodyAsync(forReal);
            var (unknownBody, unknownRetryAfter) = await BodyAsync(forUnknown);
            Assert.Equal(body, unknownBody);
            // The two lockouts began a few milliseconds apart, so their rounded seconds may differ by one.
            Assert.InRange(Math.Abs(retryAfter - unknownRetryAfter), 0, 1);
            codes.Add(JsonDocument.Parse(body).RootElement.GetProperty("code").GetString()!);
        }
        Assert.Equal(["invalid_credentials", "invalid_credentials", "invalid_credentials", "invalid_credentials",
            "locked_out", "locked_out", "locked_out"], codes);
    }

    [Fact]
    public async Task On_the_login_page_an_unknown_email_fails_and_locks_out_as_a_real_one_does()
    {
        var real = $"real-{Guid.NewGuid():N}@example.com";
        await app.CreateMemberAsync(real);
        var unknown = $"nobody-{Guid.NewGuid():N}@example.com";
        var client = app.CreateClient(new() { AllowAutoRedirect = false });

        var outcomes = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var forReal = await client.SubmitAsync("/Account/Login", "login", ("Input.Email", real), ("Input.Password", "wrong"));
            var forUnknown = await client.SubmitAsync("/Account/Login", "login", ("Input.Email", unknown), ("Input.Password", "wrong"));
            Assert.Equal(forReal.StatusCode, forUnknown.StatusCode);
            Assert.Equal(forReal.Headers.Location, forUnknown.Headers.Location);
            outcomes.Add(forReal.Headers.Location?.OriginalString ?? (await forReal.Content.ReadAsStringAsync()).Contains("Invalid login attempt").ToString());
        }
        Assert.Equal(["True", "True", "True", "True"], outcomes.Take(4));
        Assert.All(outcomes.Skip(4), location => Assert.EndsWith("Account/Lockout", location));
    }

    /// <summary>The problem without its <c>trace_id</c> and with its seconds blanked, and those seconds (0 if none).</summary>
    private static async Task<(string Body, int RetryAfter)> BodyAsync(HttpResponseMessage response)
    {
        var body = (await response.Content.ReadFromJsonAsync<Dictionary<string, JsonElement>>())!;
        Assert.True(body.Remove("trace_id"));
        var retryAfter = body.Remove("retry_after", out var seconds) ? seconds.GetInt32() : 0;
        return (Regex.Replace(JsonSerializer.Serialize(body), "in [0-9]+ seconds", "in N seconds"), retryAfter);
    }
}

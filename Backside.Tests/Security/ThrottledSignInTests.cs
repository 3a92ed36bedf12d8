using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Backside.Tests.Infrastructure;

namespace Backside.Tests.Security;

/// <summary>Sign-in requests are limited per client address and per account, and refusals say when to come back.</summary>
public class ThrottledSignInTests(ThrottledSignInAppFactory app) : IClassFixture<ThrottledSignInAppFactory>
{
    private int nextAddress;

    [Fact]
    public async Task Api_login_for_one_account_is_refused_with_429_after_its_budget_from_any_address_until_the_window_ends()
    {
        var email = $"victim-{Guid.NewGuid():N}@example.com";
        await app.CreateMemberAsync(email);
        for (var i = 0; i < ThrottledSignInAppFactory.PerAccount; i++)
            await (await LoginAsync(email, "wrong", NewAddress())).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");

        var refused = await LoginAsync(email, BacksideAppFactory.Password, NewAddress());
        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(60, problem.GetProperty("retry_after").GetInt32());
        Assert.Equal(TimeSpan.FromSeconds(60), refused.Headers.RetryAfter?.Delta);

        app.Time.Advance(TimeSpan.FromSeconds(61));
        await (await LoginAsync(email, BacksideAppFactory.Password, NewAddress())).ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Api_login_from_one_address_is_refused_after_its_budget_whatever_the_email()
    {
        var address = NewAddress();
        for (var i = 0; i < ThrottledSignInAppFactory.PerAddress; i++)
            await (await LoginAsync($"spray-{Guid.NewGuid():N}@example.com", "guess", address)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");

        await (await LoginAsync($"spray-{Guid.NewGuid():N}@example.com", "guess", address)).ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        // Another address still has its own budget.
        await (await LoginAsync($"spray-{Guid.NewGuid():N}@example.com", "guess", NewAddress())).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Fact]
    public async Task IPv6_addresses_of_one_64_block_share_one_budget()
    {
        var block = NewAddress()[..^"::1".Length];
        for (var i = 0; i < ThrottledSignInAppFactory.PerAddress; i++)
            await (await LoginAsync($"spray-{Guid.NewGuid():N}@example.com", "guess", $"{block}:{i + 1:x}:0:0:{i + 7:x}")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");

        await (await LoginAsync($"spray-{Guid.NewGuid():N}@example.com", "guess", $"{block}:ffff:ffff:ffff:ffff")).ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Fact]
    public async Task An_unknown_email_and_a_real_one_get_the_same_answers_in_the_same_order()
    {
        var real = $"real-{Guid.NewGuid():N}@example.com";
        await app.CreateMemberAsync(real);
        var unknown = $"nobody-{Guid.NewGuid():N}@example.com";

        for (var i = 0; i <= ThrottledSignInAppFactory.PerAccount; i++)
        {
            var forReal = await LoginAsync(real, "wrong", NewAddress());
            var forUnknown = await LoginAsync(unknown, "wrong", NewAddress());
            Assert.Equal(forReal.StatusCode, forUnknown.StatusCode);
            Assert.Equal(forReal.Headers.RetryAfter?.Delta, forUnknown.Headers.RetryAfter?.Delta);
            Assert.Equal(await BodyAsync(forReal), await BodyAsync(forUnknown));
        }
    }

    [Fact]
    public async Task Refresh_from_one_address_is_refused_after_its_budget()
    {
        var address = NewAddress();
        for (var i = 0; i < ThrottledSignInAppFactory.PerAddress; i++)
            await (await RefreshAsync("bsr_not-a-token", address)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_refresh_token");
        await (await RefreshAsync("bsr_not-a-token", address)).ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Fact]
    public async Task Dashboard_login_over_budget_answers_429_with_a_message_on_the_page()
    {
        var email = $"page-{Guid.NewGuid():N}@example.com";
        await app.CreateMemberAsync(email);
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        for (var i = 0; i < ThrottledSignInAppFactory.PerAccount; i++)
        {
            var failed = await client.SubmitAsync("/Account/Login", "login", NewAddress(), ("Input.Email", email), ("Input.Password", "wrong"));
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
            Assert.Contains("Invalid login attempt", await failed.Content.ReadAsStringAsync());
        }

        var refused = await client.SubmitAsync("/Account/Login", "login", NewAddress(), ("Input.Email", email), ("Input.Password", BacksideAppFactory.Password));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Contains("Too many attempts. Try again in 60 seconds.", await refused.Content.ReadAsStringAsync());
        Assert.False(await client.IsSignedInAsync());
    }

    [Fact]
    public async Task Registration_and_password_reset_spend_the_same_budgets()
    {
        var email = $"reg-{Guid.NewGuid():N}@example.com";
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        for (var i = 0; i < ThrottledSignInAppFactory.PerAccount; i++)
            await client.SubmitAsync("/Account/ForgotPassword", "forgot-password", NewAddress(), ("Input.Email", email));

        var register = await client.SubmitAsync("/Account/Register", "register", NewAddress(),
            ("Input.Email", email), ("Input.Password", BacksideAppFactory.Password), ("Input.ConfirmPassword", BacksideAppFactory.Password));
        Assert.Equal(HttpStatusCode.TooManyRequests, register.StatusCode);
        Assert.Contains("Too many attempts.", await register.Content.ReadAsStringAsync());
        var reset = await client.SubmitAsync("/Account/ForgotPassword", "forgot-password", NewAddress(), ("Input.Email", email));
        Assert.Equal(HttpStatusCode.TooManyRequests, reset.StatusCode);
    }

    /// <summary>The problem without its <c>trace_id</c>, which differs for every request.</summary>
    private static async Task<string> BodyAsync(HttpResponseMessage response)
    {
        var body = (await response.Content.ReadFromJsonAsync<Dictionary<string, JsonElement>>())!;
        Assert.True(body.Remove("trace_id"));
        return JsonSerializer.Serialize(body);
    }

    private async Task<HttpResponseMessage> LoginAsync(string email, string password, string address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login") { Content = JsonContent.Create(new { email, password }) };
        request.Headers.Add(TestClientAddressStartupFilter.HeaderName, address);
        return await app.CreateClient().SendAsync(request);
    }

    private async Task<HttpResponseMessage> RefreshAsync(string token, string address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/refresh") { Content = JsonContent.Create(new { refresh_token = token }) };
        request.Headers.Add(TestClientAddressStartupFilter.HeaderName, address);
        return await app.CreateClient().SendAsync(request);
    }

    /// <summary>A distinct documentation-range address per call, so only the budget under test is spent.</summary>
    /// <summary>An address in a /64 of its own: one /64 is one client to the throttle.</summary>
    private string NewAddress()
    {
        var n = Interlocked.Increment(ref nextAddress) + Random.Shared.Next(0, 1 << 20) * 64;
        return $"2001:db8:{n >> 16:x}:{n & 0xffff:x}::1";
    }
}

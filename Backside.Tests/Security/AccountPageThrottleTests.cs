using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace Backside.Tests.Security;

/// <summary>
/// The account pages that name an account without a password (passkey options, password reset, resending a
/// confirmation) spend the sign-in budgets and tell nobody which names have accounts.
/// </summary>
public partial class AccountPageThrottleTests(ThrottledSignInAppFactory app) : IClassFixture<ThrottledSignInAppFactory>
{
    private int nextAddress;

    [Fact]
    public async Task Passkey_options_for_a_real_name_look_like_those_for_an_unknown_one()
    {
        var real = $"passkey-{Guid.NewGuid():N}@example.com";
        await app.CreateMemberAsync(real);

        var forReal = await PasskeyOptionsAsync(real, NewAddress());
        var forUnknown = await PasskeyOptionsAsync($"nobody-{Guid.NewGuid():N}@example.com", NewAddress());

        Assert.Equal(HttpStatusCode.OK, forReal.StatusCode);
        Assert.Equal(HttpStatusCode.OK, forUnknown.StatusCode);
        Assert.Equal(CookieLengths(forUnknown), CookieLengths(forReal));
        Assert.Equal(PropertyNames(await forUnknown.Content.ReadAsStringAsync()), PropertyNames(await forReal.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Passkey_options_from_one_address_are_refused_with_429_after_its_budget()
    {
        var address = NewAddress();
        for (var i = 0; i < ThrottledSignInAppFactory.PerAddress; i++)
            Assert.Equal(HttpStatusCode.OK, (await PasskeyOptionsAsync(null, address)).StatusCode);

        var refused = await PasskeyOptionsAsync(null, address);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
    }

    [Fact]
    public async Task Password_resets_for_one_email_are_refused_with_429_after_its_budget()
    {
        var email = $"reset-{Guid.NewGuid():N}@example.com";
        await app.CreateMemberAsync(email);
        var page = "/Account/ResetPassword?code=" + WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes("not-a-token"));
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        const string password = "a long new passphrase";
        for (var i = 0; i < ThrottledSignInAppFactory.PerAccount; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.SubmitAsync(page, "reset-password", NewAddress(),
                ("Input.Email", email), ("Input.Password", password), ("Input.ConfirmPassword", password))).StatusCode);

        var refused = await client.SubmitAsync(page, "reset-password", NewAddress(),
            ("Input.Email", email), ("Input.Password", password), ("Input.ConfirmPassword", password));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("Too many attempts.", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Resending_a_confirmation_for_one_email_is_refused_with_429_after_its_budget()
    {
        var email = $"resend-{Guid.NewGuid():N}@example.com";
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        for (var i = 0; i < ThrottledSignInAppFactory.PerAccount; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.SubmitAsync("/Account/ResendEmailConfirmation", "resend-email-confirmation", NewAddress(), ("Input.Email", email))).StatusCode);

        var refused = await client.SubmitAsync("/Account/ResendEmailConfirmation", "resend-email-confirmation", NewAddress(), ("Input.Email", email));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("Too many attempts.", await refused.Content.ReadAsStringAsync());
    }

    /// <summary>What the Login page's passkey button asks for, with the page's antiforgery token, naming <paramref name="username"/> as older pages did.</summary>
    private async Task<HttpResponseMessage> PasskeyOptionsAsync(string? username, string address)
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        var login = await client.GetStringAsync("/Account/Login");
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(login).Groups[1].Value);
        Assert.NotEmpty(token);
        var query = username is null ? "" : "?username=" + Uri.EscapeDataString(username);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/Account/PasskeyRequestOptions" + query)
        {
            Content = new FormUrlEncodedContent([new("__RequestVerificationToken", token)]),
        };
        request.Headers.Add(TestClientAddressStartupFilter.HeaderName, address);
        return await client.SendAsync(request);
    }

    private static string CookieLengths(HttpResponseMessage response) =>
        string.Join(",", response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.Select(c => c.Split(';')[0]).Order().Select(c => $"{c.Split('=')[0]}:{c.Length}")
            : []);

    private static string PropertyNames(string json) =>
        string.Join(",", JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => p.Name).Order());

    /// <summary>An address in a /64 of its own: one /64 is one client to the throttle.</summary>
    private string NewAddress()
    {
        var n = Interlocked.Increment(ref nextAddress) + Random.Shared.Next(0, 1 << 20) * 64;
        return $"2001:db8:{n >> 16:x}:{n & 0xffff:x}::2";
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}

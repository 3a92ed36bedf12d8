using System.Net;
using Backside.Tests.Infrastructure;

namespace Backside.Tests.Authentication;

/// <summary>
/// The dashboard's sign-in cookie is written only when the person signs in, refreshes a sign-in or signs out: a
/// response that merely checked it must not write it, or a late answer could put an old cookie back.
/// </summary>
public class SignInCookieTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    private const string CookieName = ".AspNetCore.Identity.Application";

    [Fact]
    public async Task Signed_in_requests_check_the_cookie_without_writing_it_again()
    {
        var email = $"cookie-{Guid.NewGuid():N}@example.com";
        await app.CreateMemberAsync(email);
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        var signIn = await client.SignInAsync(email);
        Assert.Contains(SetCookies(signIn), c => c.StartsWith(CookieName, StringComparison.Ordinal));

        foreach (var path in new[] { "/Account/Manage", "/favicon.png", "/Account/Manage/TwoFactorAuthentication" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain(SetCookies(response), c => c.StartsWith(CookieName, StringComparison.Ordinal));
        }
        Assert.True(await client.IsSignedInAsync());
    }

    private static IEnumerable<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [];
}

using System.Net;
using System.Text.RegularExpressions;
using Backside.Tests.Infrastructure;

namespace Backside.Tests.Account;

/// <summary>With no external sign-in provider configured (as shipped), nothing offers one and its pages do not exist.</summary>
public partial class ExternalLoginsHiddenTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    [Theory]
    [InlineData("/Account/Login")]
    [InlineData("/Account/Register")]
    public async Task Sign_in_pages_offer_no_external_provider_and_no_template_text(string page)
    {
        var html = await app.CreateClient().GetStringAsync(page);

        Assert.DoesNotContain("external-logins", html);
        Assert.DoesNotContain("another service", html);
        Assert.DoesNotContain("external authentication", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("go.microsoft.com", html);
        Assert.DoesNotContain("PerformExternalLogin", html);
    }

    [Fact]
    public async Task The_account_menu_has_no_external_logins_entry_and_its_page_is_a_404()
    {
        var client = await SignedInClientAsync();

        var manage = await client.GetStringAsync("/Account/Manage");
        Assert.DoesNotContain("ExternalLogins", manage);
        Assert.DoesNotContain("External logins", manage);

        foreach (var path in new[] { "/Account/Manage/ExternalLogins", "/Account/Manage/ExternalLogins?Action=LinkLoginCallback", "/Account/ExternalLogin", "/Account/ExternalLogin?Action=LoginCallback" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("Page not found", await response.Content.ReadAsStringAsync());
        }
    }

    [Theory]
    [InlineData("Google")]
    [InlineData("Identity.Application")]
    [InlineData("ApiKey")]
    public async Task The_external_login_endpoints_answer_404_for_any_provider(string provider)
    {
        var client = await SignedInClientAsync();
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(await client.GetStringAsync("/Account/Manage")).Groups[1].Value);
        Assert.NotEmpty(token);

        var perform = await client.PostAsync("/Account/PerformExternalLogin", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", token), new("provider", provider), new("returnUrl", "/")]));
        var link = await client.PostAsync("/Account/Manage/LinkExternalLogin", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", token), new("provider", provider)]));

        Assert.Equal(HttpStatusCode.NotFound, perform.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, link.StatusCode);
    }

    private async Task<HttpClient> SignedInClientAsync()
    {
        var email = $"external-{Guid.NewGuid():N}@example.com";
        await app.CreateMemberAsync(email);
        var client = app.CreateClient();
        await client.SignInAsync(email);
        Assert.True(await client.IsSignedInAsync());
        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}

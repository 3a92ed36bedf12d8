using Backside.Tests.Infrastructure;

namespace Backside.Tests.Account;

/// <summary>Development without SMTP keeps the two-command start: the link is on the page.</summary>
public class EmailOnPageInDevelopmentTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    [Fact]
    public async Task Registration_in_Development_without_SMTP_shows_a_confirmation_link_that_works()
    {
        var client = app.CreateClient();
        var email = $"dev-{Guid.NewGuid():N}@example.com";

        var page = await (await client.RegisterAsync(email)).Content.ReadAsStringAsync();
        var link = System.Text.RegularExpressions.Regex.Match(page, "<a href=\"([^\"]+)\">Click here to confirm your account</a>").Groups[1].Value;
        var confirmed = await client.GetStringAsync(new Uri(System.Net.WebUtility.HtmlDecode(link)).PathAndQuery);

        Assert.Contains("Thank you for confirming your email.", confirmed);
        await client.SignInAsync(email);
        Assert.True(await client.IsSignedInAsync());
    }
}

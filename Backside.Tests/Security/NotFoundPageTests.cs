using System.Net;
using Backside.Tests.Infrastructure;

namespace Backside.Tests.Security;

/// <summary>An unknown address loaded directly gets the site's own 404 page; the API keeps its problem+json 404.</summary>
public class NotFoundPageTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    [Theory]
    [InlineData("/no-such-page")]
    [InlineData("/settings/no-such-page")]
    [InlineData("/Account/Manage/NoSuchPage")]
    [InlineData("/not-found")]
    public async Task An_unknown_page_is_a_404_with_the_branded_page(string path)
    {
        var response = await app.CreateClient().GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>Page not found · Backside</title>", html);
        Assert.Matches("<h1[^>]*>Page not found</h1>", html);
        Assert.Matches("<a[^>]*href=\"/\"[^>]*>[\\s\\S]*?Go to the home page", html);
        Assert.DoesNotContain("Go to API keys", html);
    }

    [Fact]
    public async Task A_signed_in_person_is_offered_the_way_to_their_keys()
    {
        var email = $"lost-{Guid.NewGuid():N}@example.com";
        await app.CreateMemberAsync(email);
        var client = app.CreateClient();
        await client.SignInAsync(email);

        var response = await client.GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Matches("<a[^>]*href=\"/settings/api-keys\"[^>]*>[\\s\\S]*?Go to API keys", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/api/v1/no-such-thing")]
    [InlineData("/api/no-such-thing")]
    public async Task An_unknown_api_path_keeps_its_problem_json_404(string path)
    {
        var response = await app.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("Page not found", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_missing_static_file_is_a_plain_404()
    {
        var response = await app.CreateClient().GetAsync("/js/no-such-script.js");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("Page not found", await response.Content.ReadAsStringAsync());
    }
}

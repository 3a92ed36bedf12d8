using System.Net;
using System.Text;
using Backside.Tests.Infrastructure;

namespace Backside.Tests.Api;

/// <summary>A body the serializer cannot read gets a 400 that names the field to fix, and stays small whatever was sent.</summary>
public class MalformedBodyAnswerTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_member_name_as_long_as_the_body_is_not_echoed_back()
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync();

        var response = await client.PostAsync("/api/v1/api-keys", Json($$"""{"name":"Long","{{new string('a', 30_000)}}":1}"""));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, code: "malformed_request");
        Assert.True(problem.GetRawText().Length < 1024, $"The answer has {problem.GetRawText().Length} characters.");
        Assert.Contains("$.aaaa", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("""{"rate_limit_per_minute":"5"}""", "$.rate_limit_per_minute")]
    [InlineData("""{"name":5}""", "$.name")]
    [InlineData("""{"expires_at":"tomorrow"}""", "$.expires_at")]
    [InlineData("""{"scopes":[1]}""", "$.scopes")]
    public async Task A_wrong_type_in_a_patch_names_the_field(string body, string path)
    {
        var (client, key, _) = await app.CreateClientWithKeyAsync();

        var response = await client.PatchAsync($"/api/v1/api-keys/{key.Key.Id}", Json(body));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, code: "malformed_request");
        Assert.Contains($"'{path}", problem.GetProperty("detail").GetString());
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Backside.Core.ApiKeys;
using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Backside.Tests.Api;

/// <summary>Issue 13: every request's work and every refusal's answer are bounded, whatever the request sent.</summary>
public class BoundedInputTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    /// <summary>"A few KB": no refusal may answer more than this.</summary>
    private const int SmallAnswer = 4 * 1024;

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<string> SmallBodyAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(Encoding.UTF8.GetByteCount(body) <= SmallAnswer, $"The answer has {body.Length} characters: {body[..Math.Min(body.Length, 300)]}…");
        return body;
    }

    private async Task<HttpClient> FullAccessClientAsync()
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync(scopes: null);
        return client;
    }

    private static string ListBody(string field, int count, string entry) =>
        $"{{\"name\":\"Listy\",\"{field}\":[{string.Join(',', Enumerable.Repeat(JsonSerializer.Serialize(entry), count))}]}}";

    [Theory]
    [InlineData("application/json; charset=foo")]
    [InlineData("application/json; charset=\"utf-8\"")]
    [InlineData("application/json; charset=utf-7")]
    [InlineData("application/json; charset=UTF8")]
    [InlineData("application/json; charset=")]
    public async Task A_body_in_any_charset_but_utf_8_is_answered_415_not_500(string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login") { Content = new ByteArrayContent("{}"u8.ToArray()) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await app.CreateClient().SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await SmallBodyAsync(response);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=UTF-8")]
    public async Task A_utf_8_body_is_read_as_usual(string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login") { Content = new ByteArrayContent("{\"email\":\"a@b.c\",\"password\":\"x\"}"u8.ToArray()) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await app.CreateClient().SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Fact]
    public async Task A_body_over_64_KB_is_answered_413_payload_too_large_before_it_is_parsed()
    {
        var client = await FullAccessClientAsync();
        // Not even JSON: the size alone decides, so nothing was parsed.
        var response = await client.PostAsync("/api/v1/api-keys", Json(new string('{', 65 * 1024)));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        Assert.Contains("65536", problem.GetProperty("detail").GetString());
        await SmallBodyAsync(response);
    }

    [Fact]
    public async Task A_body_without_a_length_is_cut_off_at_the_cap_with_413()
    {
        var client = await FullAccessClientAsync();
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($"{{\"name\":\"{new string('n', 100 * 1024)}\"}}")));
        content.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/api-keys") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await client.SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        await SmallBodyAsync(response);
    }

    [Fact]
    public async Task A_body_just_under_the_cap_is_read_as_usual()
    {
        var client = await FullAccessClientAsync();
        var body = $"{{\"name\":\"{new string('n', 60 * 1024)}\"}}";

        var response = await client.PostAsync("/api/v1/api-keys", Json(body));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task The_body_cap_is_configurable()
    {
        using var strict = app.WithWebHostBuilder(b => b.UseSetting("Api:MaxBodyBytes", "2048"));
        var key = await app.CreateKeyAsync(await app.CreateMemberAsync(), scopes: null);
        var client = strict.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", key.Secret);

        var response = await client.PostAsync("/api/v1/contacts", Json($"{{\"name\":\"{new string('n', 3000)}\"}}"));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        Assert.Contains("2048", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public void A_body_cap_out_of_range_is_refused_at_start()
    {
        using var misconfigured = app.WithWebHostBuilder(b => b.UseSetting("Api:MaxBodyBytes", "0"));

        var error = Assert.Throws<OptionsValidationException>(() => misconfigured.CreateClient());

        Assert.Contains("MaxBodyBytes", error.Message);
    }

    /// <summary>With the cap raised so the huge lists of the issue arrive: the length is checked before the elements.</summary>
    [Theory]
    [InlineData("allowed_ips")]
    [InlineData("allowed_referrers")]
    [InlineData("scopes")]
    public async Task A_list_of_300000_entries_gets_one_small_error_on_create_and_on_patch(string field)
    {
        using var roomy = app.WithWebHostBuilder(b => b.UseSetting("Api:MaxBodyBytes", (8 * 1024 * 1024).ToString()));
        var owner = await app.CreateMemberAsync();
        var admin = await app.CreateKeyAsync(owner, scopes: null);
        var target = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);
        var client = roomy.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", admin.Secret);
        var body = ListBody(field, 300_000, field == "scopes" ? "no:such" : "");

        foreach (var response in new[]
        {
            await client.PostAsync("/api/v1/api-keys", Json(body)),
            await client.PatchAsync($"/api/v1/api-keys/{target.Key.Id}", Json(body)),
        })
        {
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
            await SmallBodyAsync(response);
            var errors = problem.GetProperty("errors");
            Assert.Equal([field], errors.EnumerateObject().Select(e => e.Name));
            var message = Assert.Single(errors.GetProperty(field).EnumerateArray()).GetString();
            Assert.Contains("at most 100", message);
        }
    }

    [Fact]
    public async Task A_400_lists_at_most_20_errors_and_says_how_many_were_left_out()
    {
        var client = await FullAccessClientAsync();
        var body = $"{{\"name\":\"Bad\",\"allowed_ips\":[{string.Join(',', Enumerable.Range(0, 100).Select(i => $"\"nope-{i}\""))}]}}";

        var response = await client.PostAsync("/api/v1/api-keys", Json(body));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await SmallBodyAsync(response);
        Assert.Equal(20, problem.GetProperty("errors").EnumerateObject().Sum(e => e.Value.GetArrayLength()));
        Assert.Contains("80 more", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Unknown_scopes_name_the_catalog_once_and_quote_long_entries_shortened()
    {
        var client = await FullAccessClientAsync();
        var scopes = Enumerable.Range(0, 10).Select(i => $"bogus:{i}").Append(new string('x', 20_000));

        var response = await client.PostAsJsonAsync("/api/v1/api-keys", new { name = "Bogus", scopes });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var body = await SmallBodyAsync(response);
        var messages = problem.GetProperty("errors").GetProperty("scopes").EnumerateArray().Select(m => m.GetString()!).ToList();
        Assert.Single(messages, m => m.Contains(Scopes.ContactsRead));
        Assert.Contains(messages, m => m.Contains("'bogus:3' is not a scope"));
        Assert.DoesNotContain(new string('x', 1_000), body);
    }

    [Fact]
    public async Task Duplicate_scopes_member_is_refused_and_creates_no_full_access_key()
    {
        var owner = await app.CreateMemberAsync();
        var admin = await app.CreateKeyAsync(owner, scopes: null);
        var client = app.CreateClientWithKey(admin.Secret);

        var response = await client.PostAsync("/api/v1/api-keys", Json("""{"name":"Sneaky","scopes":["contacts:read"],"scopes":null}"""));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "malformed_request");
        await using var db = app.OpenDatabase();
        Assert.False(await db.ApiKeys.AnyAsync(k => k.OrganizationId == owner.OrganizationId && k.Name == "Sneaky"));
    }

    [Fact]
    public async Task Duplicate_member_in_a_patch_is_refused_and_changes_nothing()
    {
        var owner = await app.CreateMemberAsync();
        var admin = await app.CreateKeyAsync(owner, scopes: null);
        var target = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);
        var client = app.CreateClientWithKey(admin.Secret);

        var response = await client.PatchAsync($"/api/v1/api-keys/{target.Key.Id}", Json("""{"scopes":["contacts:read"],"scopes":null}"""));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "malformed_request");
        await using var db = app.OpenDatabase();
        var stored = await db.ApiKeys.SingleAsync(k => k.Id == target.Key.Id);
        Assert.Equal([Scopes.ContactsRead], stored.Scopes!);
    }

    [Fact]
    public async Task Duplicate_members_with_other_casing_or_on_other_endpoints_are_refused()
    {
        var client = await FullAccessClientAsync();

        await (await client.PostAsync("/api/v1/contacts", Json("""{"name":"A","name":"B"}""")))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "malformed_request");
        await (await app.CreateClient().PostAsync("/api/v1/auth/login", Json("""{"email":"a@example.com","email":"b@example.com","password":"x"}""")))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "malformed_request");
    }

    private sealed record Inner(string? Value);

    private sealed record Outer(Inner? Inner, Backside.Core.Common.Optional<Inner?> Patched);

    [Theory]
    [InlineData("""{"inner":{"value":"a","value":"b"}}""")]
    [InlineData("""{"patched":{"value":"a","value":"b"}}""")]
    public void The_api_json_options_refuse_duplicates_in_nested_objects_and_patch_fields(string json)
    {
        var options = app.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<Outer>(json, options));
    }

    public static TheoryData<string> AmbiguousCombinations => ["key+x-api-key", "key+garbage-x-api-key", "key+pair", "key+x-api-secret", "token+x-api-key"];

    [Theory]
    [MemberData(nameof(AmbiguousCombinations))]
    public async Task Two_credentials_in_one_request_are_refused_as_ambiguous(string combination)
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        var owner = await app.CreateMemberAsync(email);
        var key = await app.CreateKeyAsync(owner, scopes: null);
        var other = await app.CreateKeyAsync(owner, scopes: null);
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/api-keys");
        switch (combination)
        {
            case "key+x-api-key":
                request.Headers.Authorization = new("Bearer", key.Secret);
                request.Headers.Add("X-API-Key", other.Secret);
                break;
            case "key+garbage-x-api-key":
                request.Headers.Authorization = new("Bearer", key.Secret);
                request.Headers.Add("X-API-Key", "garbage");
                break;
            case "key+pair":
                request.Headers.Authorization = new("Bearer", key.Secret);
                request.Headers.Add("X-API-Key", other.Key.Id);
                request.Headers.Add("X-Api-Secret", other.Secret);
                break;
            case "key+x-api-secret":
                request.Headers.Authorization = new("Bearer", key.Secret);
                request.Headers.Add("X-Api-Secret", other.Secret);
                break;
            case "token+x-api-key":
                var login = await (await app.LoginAsync(email)).ShouldBeJsonAsync(HttpStatusCode.OK);
                request.Headers.Authorization = new("Bearer", login.GetProperty("access_token").GetString());
                request.Headers.Add("X-API-Key", key.Secret);
                break;
        }

        var response = await app.CreateClient().SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "ambiguous_credentials");
        await SmallBodyAsync(response);
    }

    [Fact]
    public async Task One_credential_on_either_rail_still_works()
    {
        var key = await app.CreateKeyAsync(await app.CreateMemberAsync(), scopes: null);
        var byHeader = app.CreateClient();
        byHeader.DefaultRequestHeaders.Add("X-API-Key", key.Secret);
        var byPair = app.CreateClient();
        byPair.DefaultRequestHeaders.Add("X-API-Key", key.Key.Id);
        byPair.DefaultRequestHeaders.Add("X-Api-Secret", key.Secret);

        (await app.CreateClientWithKey(key.Secret).GetAsync("/api/v1/api-keys")).EnsureSuccessStatusCode();
        (await byHeader.GetAsync("/api/v1/api-keys")).EnsureSuccessStatusCode();
        (await byPair.GetAsync("/api/v1/api-keys")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Usage_up_to_year_one_is_a_400_not_a_500()
    {
        var (client, key, _) = await app.CreateClientWithKeyAsync(scopes: null);

        var response = await client.GetAsync($"/api/v1/api-keys/{key.Key.Id}/usage?to=0001-01-01T00:00:00Z");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("to", out _));
    }

    private static readonly string[] ExtremeDates =
        ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01", "9999-12-31", "not-a-date", "-1", ""];

    private static readonly string[] ExtremeNumbers = ["0", "-1", "-2147483648", "2147483647", "2147483648", "99999999999999999999", "1e3", "abc", ""];

    private static IEnumerable<string> ExtremeQueries(string keyId)
    {
        foreach (var date in ExtremeDates)
        {
            yield return $"from={Uri.EscapeDataString(date)}";
            yield return $"to={Uri.EscapeDataString(date)}";
            yield return $"from={Uri.EscapeDataString(date)}&to=2026-11-23T00:00:00Z";
            yield return $"from=2026-11-20T00:00:00Z&to={Uri.EscapeDataString(date)}";
        }
        yield return "from=9999-12-31T00:00:00Z&to=0001-01-01T00:00:00Z";
        yield return "from=2026-11-23T00:00:00Z&to=2026-11-01T00:00:00Z";
        yield return "from=8999-12-31T00:00:00Z&to=9000-01-01T00:00:00Z";
        yield return "granularity=day&from=8999-12-31T00:00:00Z&to=9000-01-01T00:00:00Z";
        yield return "granularity=day&to=1970-01-01T00:00:00Z";
        yield return "granularity=week";
        foreach (var number in ExtremeNumbers)
            yield return $"limit={Uri.EscapeDataString(number)}";
        foreach (var cursor in new[] { "x", "", "ak_", "ct_", "ak_" + new string('z', 2_000), keyId + "'--", "%00", "ak_\u0000" })
            yield return $"starting_after={Uri.EscapeDataString(cursor)}";
        yield return $"status=nope&environment=nope&q={new string('%', 1_000)}";
        yield return $"q={Uri.EscapeDataString(new string('_', 2_000))}";
        yield return "key_id=nope&limit=100";
        yield return $"key_id={keyId}&starting_after=ev_{new string('0', 40)}";
    }

    [Fact]
    public async Task Extreme_query_values_on_every_GET_endpoint_are_answered_without_a_5xx_and_small()
    {
        var (client, key, _) = await app.CreateClientWithKeyAsync(scopes: null);
        string[] endpoints =
        [
            "/api/v1/contacts", "/api/v1/contacts/ct_nope", "/api/v1/api-keys", $"/api/v1/api-keys/{key.Key.Id}",
            "/api/v1/audit-events", $"/api/v1/api-keys/{key.Key.Id}/usage", "/api/v1/usage", "/api/v1/ping",
        ];
        var failures = new List<string>();

        foreach (var endpoint in endpoints)
            foreach (var query in ExtremeQueries(key.Key.Id))
            {
                var response = await client.GetAsync($"{endpoint}?{query}");
                var body = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode >= 500 || Encoding.UTF8.GetByteCount(body) > (response.IsSuccessStatusCode ? 64 * 1024 : SmallAnswer))
                    failures.Add($"{endpoint}?{query[..Math.Min(query.Length, 80)]} -> {(int)response.StatusCode} ({body.Length} chars)");
            }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using Backside.Core.ApiKeys;
using Backside.Tests.Infrastructure;

namespace Backside.Tests.Api;

[Trait("Providers", "Both")]
public class ContactsApiTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    private static readonly string[] ReadWrite = [Scopes.ContactsWrite];

    [Fact]
    public async Task Contact_can_be_created_read_replaced_and_deleted()
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync(ReadWrite);

        var created = await (await client.PostAsJsonAsync("/api/v1/contacts",
            new { name = "Ada Lovelace", email = "ada@example.com", company = "Analytical Engines" }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("con_", id);
        Assert.Equal("contact", created.GetProperty("object").GetString());
        Assert.True(created.GetProperty("livemode").GetBoolean());

        var fetched = await (await client.GetAsync($"/api/v1/contacts/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("ada@example.com", fetched.GetProperty("email").GetString());

        var replaced = await (await client.PutAsJsonAsync($"/api/v1/contacts/{id}", new { name = "Ada King" }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Ada King", replaced.GetProperty("name").GetString());
        Assert.Equal(JsonValueKindNull, replaced.GetProperty("email").ValueKind);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/contacts/{id}")).StatusCode);
        await (await client.GetAsync($"/api/v1/contacts/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "resource_not_found");
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    [Fact]
    public async Task Key_of_one_organization_never_sees_contacts_of_another()
    {
        var (clientA, _, _) = await app.CreateClientWithKeyAsync(ReadWrite);
        var (clientB, _, _) = await app.CreateClientWithKeyAsync(ReadWrite);
        var created = await (await clientA.PostAsJsonAsync("/api/v1/contacts", new { name = "Only in A" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString();

        var list = await (await clientB.GetAsync("/api/v1/contacts")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("data").GetArrayLength());
        await (await clientB.GetAsync($"/api/v1/contacts/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "resource_not_found");
        await (await clientB.PutAsJsonAsync($"/api/v1/contacts/{id}", new { name = "Hijack" })).ShouldBeProblemAsync(HttpStatusCode.NotFound, "resource_not_found");
        await (await clientB.DeleteAsync($"/api/v1/contacts/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "resource_not_found");
        await (await clientA.GetAsync($"/api/v1/contacts/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Test_key_sees_only_test_data_and_live_key_only_live_data()
    {
        var owner = await app.CreateMemberAsync();
        var live = app.CreateClientWithKey((await app.CreateKeyAsync(owner, ReadWrite, "live")).Secret);
        var test = app.CreateClientWithKey((await app.CreateKeyAsync(owner, ReadWrite, "test")).Secret);
        await live.PostAsJsonAsync("/api/v1/contacts", new { name = "Live customer" });

        var testList = await (await test.GetAsync("/api/v1/contacts")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var liveList = await (await live.GetAsync("/api/v1/contacts")).ShouldBeJsonAsync(HttpStatusCode.OK);

        Assert.Equal(0, testList.GetProperty("data").GetArrayLength());
        Assert.Equal(1, liveList.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Invalid_fields_are_a_validation_failure_naming_each_field()
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync(ReadWrite);

        var response = await client.PostAsJsonAsync("/api/v1/contacts", new { name = "  ", email = "not-an-email", phone = new string('1', 40) });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("email", out _));
        Assert.True(errors.TryGetProperty("phone", out _));
    }

    [Theory]
    [InlineData("{\"name\": ")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{\"name\": 42}")]
    [InlineData("{\"nmae\": \"typo\"}")]
    [InlineData("")]
    public async Task Malformed_json_is_a_clear_400(string body)
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync(ReadWrite);

        var response = await client.PostAsync("/api/v1/contacts", new StringContent(body, Encoding.UTF8, "application/json"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "malformed_request");
    }

    [Fact]
    public async Task Wrong_content_type_is_refused_with_415()
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync(ReadWrite);

        var response = await client.PostAsync("/api/v1/contacts", new StringContent("name=Ada", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task List_pages_with_limit_and_starting_after()
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync(ReadWrite);
        foreach (var name in new[] { "First", "Second", "Third" })
        {
            (await client.PostAsJsonAsync("/api/v1/contacts", new { name })).EnsureSuccessStatusCode();
            app.Time.Advance(TimeSpan.FromMilliseconds(1)); // ids order by creation time to the millisecond
        }

        var page1 = await (await client.GetAsync("/api/v1/contacts?limit=2")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var names1 = page1.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        var last = page1.GetProperty("data")[1].GetProperty("id").GetString();
        var page2 = await (await client.GetAsync($"/api/v1/contacts?limit=2&starting_after={last}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var names2 = page2.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();

        Assert.Equal(["Third", "Second"], names1);
        Assert.True(page1.GetProperty("has_more").GetBoolean());
        Assert.Equal(["First"], names2);
        Assert.False(page2.GetProperty("has_more").GetBoolean());
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=101", "limit")]
    [InlineData("?starting_after=nope", "starting_after")]
    public async Task Bad_paging_parameters_are_a_validation_failure(string query, string field)
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync(ReadWrite);

        var response = await client.GetAsync($"/api/v1/contacts{query}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Non_numeric_limit_is_a_malformed_request()
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync(ReadWrite);

        var response = await client.GetAsync("/api/v1/contacts?limit=ten");

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "malformed_request");
    }

    [Fact]
    public async Task Unknown_route_under_the_api_is_a_problem_not_a_page()
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync(ReadWrite);

        var response = await client.GetAsync("/api/v1/nothing-here");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "route_not_found");
    }
}

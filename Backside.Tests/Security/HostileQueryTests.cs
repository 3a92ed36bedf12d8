using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Backside.Core.ApiKeys;
using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Backside.Tests.Security;

/// <summary>
/// Issue 13's hostile query strings (and path ids) on every GET endpoint, through the whole app: never a 5xx,
/// refusals small, a 4xx for what is invalid and a 2xx for what is valid however odd. Extends the extreme queries of
/// <c>BoundedInputTests</c> with offsets that overflow, tampered cursors, repeated parameters and broken encoding.
/// </summary>
public class HostileQueryTests(BacksideAppFactory app, ITestOutputHelper output) : IClassFixture<BacksideAppFactory>
{
    private async Task<(List<HostileQueryEndpoint> Endpoints, HostileQueryIds Ids, string Authorization)> ArrangeAsync()
    {
        var owner = await app.CreateMemberAsync();
        // A budget no plan of appsettings.json allows, on a plan of the tests' own.
        await app.ChangePlanAsync(owner.OrganizationId, BacksideAppFactory.UnboundedPlan);
        // A budget no batch spends: a case answered 429 would test nothing of its query.
        var key = await app.CreateKeyAsync(owner, new CreateApiKeyCommand("Hostile", "live", null, null, ApiKeyLimits.MaxRateLimitPerMinute));
        await app.CreateKeyAsync(owner, [Scopes.ContactsRead], name: "Hostile reader");
        var other = await app.CreateKeyAsync(await app.CreateMemberAsync(), scopes: null);
        var client = app.CreateClientWithKey(key.Secret);
        var contact = await (await client.PostAsync("/api/v1/contacts", JsonContent("""{"name":"Ada"}"""))).ShouldBeJsonAsync(HttpStatusCode.Created);
        var events = await (await client.GetAsync("/api/v1/audit-events")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var invitation = await (await client.PostAsync("/api/v1/invitations", JsonContent($$"""{"email":"invited-{{Guid.NewGuid():N}}@example.com","role":"viewer"}""")))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var ids = new HostileQueryIds(key.Key.Id, contact.GetProperty("id").GetString()!,
            events.GetProperty("data")[0].GetProperty("id").GetString()!, other.Key.Id, owner.ActorId, invitation.GetProperty("id").GetString()!);
        List<HostileQueryEndpoint> endpoints =
        [
            new("/api/v1/contacts", "/api/v1/contacts", ["limit", "starting_after"], CursorPrefix: "con"),
            new("/api/v1/contacts/{id}", $"/api/v1/contacts/{ids.ContactId}", [], IdPrefix: "con"),
            new("/api/v1/api-keys", "/api/v1/api-keys", ["status", "environment", "q", "limit", "starting_after"], CursorPrefix: "key"),
            new("/api/v1/api-keys/{id}", $"/api/v1/api-keys/{ids.KeyId}", [], IdPrefix: "key"),
            // The longest series is 92 days by the hour: 2,208 points of about 160 bytes, bounded by the range limit.
            new("/api/v1/api-keys/{id}/usage", $"/api/v1/api-keys/{ids.KeyId}/usage", ["from", "to", "granularity"], IdPrefix: "key",
                MaxSuccessBytes: 400 * 1_024),
            new("/api/v1/usage", "/api/v1/usage", ["from", "to", "environment", "granularity"], MaxSuccessBytes: 400 * 1_024),
            new("/api/v1/audit-events", "/api/v1/audit-events", ["key_id", "limit", "starting_after"], CursorPrefix: "evt"),
            new("/api/v1/ping", "/api/v1/ping", []),
            new("/api/v1/members", "/api/v1/members", ["limit", "starting_after"], CursorPrefix: "usr"),
            new("/api/v1/invitations", "/api/v1/invitations", ["status", "limit", "starting_after"], CursorPrefix: "inv"),
            new("/api/v1/organization", "/api/v1/organization", []),
        ];
        return (endpoints, ids, "Bearer " + key.Secret);
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    [Fact]
    public async Task Hostile_queries_on_every_GET_endpoint_are_never_a_5xx_and_invalid_ones_are_refused_small()
    {
        var (endpoints, ids, authorization) = await ArrangeAsync();
        var cases = HostileQueryCases.Generate(endpoints, ids, authorization);

        var clock = Stopwatch.StartNew();
        var answers = await app.SendAllAsync(cases.Select(c => c.Request).ToList());
        clock.Stop();

        var failures = new List<string>();
        foreach (var (hostile, (_, answer)) in cases.Zip(answers))
        {
            var broken = answer.Status switch
            {
                >= 500 => $"answered {HostileAnswerRules.Code(answer)}",
                401 or 403 or 429 => $"answered {HostileAnswerRules.Code(answer)}, which says nothing of the query",
                >= 400 when hostile.Expectation == HostileExpectation.Accepted => $"refused a valid query: {HostileAnswerRules.Code(answer)}",
                < 400 when hostile.Expectation == HostileExpectation.Refused => $"accepted an invalid query: {answer.Status}",
                >= 400 => HostileAnswerRules.RefusalProblem(answer),
                _ => answer.Body.Length > hostile.Endpoint.MaxSuccessBytes ? $"answered {answer.Body.Length} bytes" : null,
            };
            if (broken is not null)
                failures.Add($"[{hostile.Family}] {broken}: {hostile.Request.Describe()}");
        }
        output.WriteLine($"{cases.Count} cases on {endpoints.Count} endpoints in {clock.Elapsed.TotalSeconds:0.0} s: {HostileAnswerRules.Tally(answers.Select(a => a.Answer))}");
        HostileAnswerRules.AssertNone(failures, cases.Count);
    }

    [Fact]
    public async Task Every_GET_endpoint_of_the_api_has_a_hostile_query_target()
    {
        var (endpoints, _, _) = await ArrangeAsync();
        var reads = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true
                        && e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("GET") == true)
            .Select(e => e.RoutePattern.RawText!.TrimEnd('/'))
            .ToHashSet();

        Assert.Equal(reads.Order(), endpoints.Select(e => e.Route).Order());
    }

    [Theory]
    [InlineData("inactive,revoked")]
    [InlineData("active,revoked")]
    [InlineData(" active")]
    [InlineData("3")]
    public async Task A_status_filter_that_is_not_one_status_name_is_refused(string status)
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync(scopes: null);

        var response = await client.GetAsync($"/api/v1/api-keys?status={Uri.EscapeDataString(status)}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("status", out _));
    }

    [Fact]
    public async Task A_status_filter_in_any_casing_still_lists_that_status()
    {
        var (client, _, owner) = await app.CreateClientWithKeyAsync(scopes: null);
        var revoked = await app.CreateKeyAsync(owner, [Scopes.ContactsRead], name: "Gone");
        await app.RevokeAsync(owner, revoked.Key.Id);

        var listed = await (await client.GetAsync("/api/v1/api-keys?status=REVOKED")).ShouldBeJsonAsync(HttpStatusCode.OK);

        Assert.Equal([revoked.Key.Id], listed.GetProperty("data").EnumerateArray().Select(k => k.GetProperty("id").GetString()));
    }
}

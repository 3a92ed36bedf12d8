using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Backside.Core.ApiKeys;
using Backside.Core.Organizations;
using Backside.Tests.Infrastructure;
using Backside.Web.Api;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;
using F = Backside.Tests.Security.HostileField;
using K = Backside.Tests.Security.HostileFieldKind;

namespace Backside.Tests.Security;

/// <summary>
/// Issue 13's hostile bodies on every write endpoint, through the whole app: each is answered 4xx with a small
/// problem+json, never 5xx, and none of them writes anything (the database is compared before and after).
/// </summary>
public class HostileBodyTests(BacksideAppFactory app, ITestOutputHelper output) : IClassFixture<BacksideAppFactory>
{
    private long MaxBodyBytes => app.Services.GetRequiredService<IOptions<ApiOptions>>().Value.MaxBodyBytes;

    /// <summary>One organization with a key and a contact for each write to aim at, and sessions to refresh and end.</summary>
    private async Task<List<HostileBodyTarget>> ArrangeTargetsAsync()
    {
        var email = $"bodies-{Guid.NewGuid():N}@example.com";
        var owner = await app.CreateMemberAsync(email);
        // A budget no plan of appsettings.json allows, on a plan of the tests' own.
        await app.ChangePlanAsync(owner.OrganizationId, BacksideAppFactory.UnboundedPlan);
        // A budget no batch spends: a case answered 429 would test nothing of its body.
        var admin = await app.CreateKeyAsync(owner, new CreateApiKeyCommand("Admin", "live", null, null, ApiKeyLimits.MaxRateLimitPerMinute));
        var patched = await app.CreateKeyAsync(owner, [Scopes.ContactsRead], name: "Patched");
        var active = await app.CreateKeyAsync(owner, [Scopes.ContactsRead], name: "Active");
        var inactive = await app.CreateKeyAsync(owner, [Scopes.ContactsRead], name: "Inactive");
        await app.WithServiceAsync<ApiKeyService, OperationOutcome>(async keys =>
            new((await keys.DeactivateAsync(owner, inactive.Key.Id)).Succeeded));
        var contact = await (await app.CreateClientWithKey(admin.Secret).PostAsync("/api/v1/contacts",
            new StringContent("""{"name":"Ada"}""", Encoding.UTF8, "application/json"))).ShouldBeJsonAsync(HttpStatusCode.Created);
        var contactId = contact.GetProperty("id").GetString();

        // Sessions of the owner: one to refresh, one to end. A refused request must leave both as they are.
        var refreshToken = (await (await app.LoginAsync(email)).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("refresh_token").GetString();
        var logoutToken = (await (await app.LoginAsync(email)).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("refresh_token").GetString();
        // Sign-in is aimed at an account of its own with two-factor on, so every field of a valid login matters; the
        // failed attempts the cases make count towards its lockout, as any failed sign-in does (that is not a write
        // a refusal should avoid), and it has no session a lockout could end.
        var signInEmail = $"signin-{Guid.NewGuid():N}@example.com";
        await app.CreateMemberAsync(signInEmail);
        var (_, recoveryCodes) = await app.EnableTwoFactorAsync(signInEmail);

        // Teams: one organization for the writes that leave it standing, and one each to delete and to hand over.
        // Each destructive write gets objects of its own, as the control runs every target on this one arrangement.
        var team = await app.CreateTeamAsync(OrganizationRole.Developer, OrganizationRole.Developer);
        var teamBearer = BearerOf(app.ClientFor(team, team.Owner));
        var doomed = await app.CreateTeamAsync();
        var doomedBearer = BearerOf(app.ClientFor(doomed, doomed.Owner));
        var handedOver = await app.CreateTeamAsync(OrganizationRole.Admin);
        var handedOverBearer = BearerOf(app.ClientFor(handedOver, handedOver.Owner));
        var promoted = team.Others[0];
        var removed = team.Others[1];
        // Invitations through the service (it returns the raw token), each to a fresh address: the mail budget is per
        // address, and the team's Owner, a new person each arrangement, stays far within the sender's.
        var inviteeEmail = $"invitee-{Guid.NewGuid():N}@example.com";
        await app.CreateMemberAsync(inviteeEmail);
        var inviteeBearer = "Bearer " + (await (await app.LoginAsync(inviteeEmail)).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("access_token").GetString();
        var toAccept = await InviteAsync(team, inviteeEmail);
        var toRevoke = await InviteAsync(team, $"revoked-{Guid.NewGuid():N}@example.com");
        var toResend = await InviteAsync(team, $"resent-{Guid.NewGuid():N}@example.com");
        // A resend within a minute of the last send is refused: let that minute pass.
        app.Time.Advance(InvitationService.ResendInterval + TimeSpan.FromSeconds(1));

        var bearer = "Bearer " + admin.Secret;
        var keyFields = new List<F>
        {
            new("name", K.Text, "\"Hostile\"", Required: true),
            new("environment", K.Text, "\"live\""),
            new("scopes", K.List, "[\"contacts:read\"]"),
            new("expires_at", K.Date, "\"2027-06-01T00:00:00Z\""),
            new("rate_limit_per_minute", K.Number, "60", Range: (1, ApiKeyLimits.MaxRateLimitPerMinute)),
            new("allowed_ips", K.List, "[\"203.0.113.0/24\"]"),
            new("allowed_referrers", K.List, "[\"app.example.com\"]"),
        };
        var contactFields = new List<F>
        {
            new("name", K.Text, "\"Grace\"", Required: true),
            new("email", K.Text, "\"grace@example.com\""),
            new("phone", K.Text, "\"+1 555 0100\""),
            new("company", K.Text, "\"Navy\""),
        };
        return
        [
            new("/api/v1/api-keys", "POST", "/api/v1/api-keys", HostileBodyUse.Required, keyFields, bearer),
            new("/api/v1/api-keys/{id}", "PATCH", $"/api/v1/api-keys/{patched.Key.Id}", HostileBodyUse.Required,
                keyFields.Where(f => f.Name is not ("name" or "environment")).Prepend(new F("name", K.Text, "\"Renamed\"")).ToList(), bearer),
            new("/api/v1/api-keys/{id}/rotate", "POST", $"/api/v1/api-keys/{patched.Key.Id}/rotate", HostileBodyUse.Optional,
                [new("grace_period_seconds", K.Number, "60", Range: (0, ApiKeyLimits.MaxGracePeriodSeconds))], bearer),
            new("/api/v1/api-keys/{id}/deactivate", "POST", $"/api/v1/api-keys/{active.Key.Id}/deactivate", HostileBodyUse.None, [], bearer),
            new("/api/v1/api-keys/{id}/activate", "POST", $"/api/v1/api-keys/{inactive.Key.Id}/activate", HostileBodyUse.None, [], bearer),
            new("/api/v1/api-keys/{id}", "DELETE", $"/api/v1/api-keys/{active.Key.Id}", HostileBodyUse.None, [], bearer),
            new("/api/v1/contacts", "POST", "/api/v1/contacts", HostileBodyUse.Required, contactFields, bearer),
            new("/api/v1/contacts/{id}", "PUT", $"/api/v1/contacts/{contactId}", HostileBodyUse.Required, contactFields, bearer),
            new("/api/v1/contacts/{id}", "DELETE", $"/api/v1/contacts/{contactId}", HostileBodyUse.None, [], bearer),
            new("/api/v1/auth/login", "POST", "/api/v1/auth/login", HostileBodyUse.Required,
            [
                new("email", K.Text, JsonSerializer.Serialize(signInEmail), Required: true),
                new("password", K.Text, JsonSerializer.Serialize(BacksideAppFactory.Password), Required: true),
                new("two_factor_code", K.Text, JsonSerializer.Serialize(recoveryCodes[0])),
            ], Authorization: null),
            new("/api/v1/auth/refresh", "POST", "/api/v1/auth/refresh", HostileBodyUse.Required,
                [new("refresh_token", K.Text, JsonSerializer.Serialize(refreshToken), Required: true)], Authorization: null),
            new("/api/v1/auth/logout", "POST", "/api/v1/auth/logout", HostileBodyUse.Required,
                [new("refresh_token", K.Text, JsonSerializer.Serialize(logoutToken))], Authorization: null, MayIgnoreWellFormed: true),
            new("/api/v1/organizations", "POST", "/api/v1/organizations", HostileBodyUse.Required,
                [new("name", K.Text, "\"Hostile team\"", Required: true)], teamBearer),
            // require_two_factor_for_keys is left out: changing it needs a person with two-factor sign-in on.
            new("/api/v1/organization", "PATCH", "/api/v1/organization", HostileBodyUse.Required,
            [
                new("name", K.Text, "\"Renamed team\""),
                new("max_live_key_lifetime_days", K.Number, "365", Range: (1, Organization.MaxPolicyDays)),
                new("rotation_reminder_days", K.Number, "90", Range: (1, Organization.MaxPolicyDays)),
            ], teamBearer),
            new("/api/v1/organization", "DELETE", "/api/v1/organization", HostileBodyUse.None, [], doomedBearer),
            new("/api/v1/organization/transfer-ownership", "POST", "/api/v1/organization/transfer-ownership", HostileBodyUse.Required,
                [new("user_id", K.Text, JsonSerializer.Serialize(handedOver.Others[0].UserId), Required: true)], handedOverBearer),
            new("/api/v1/members/{user_id}", "PATCH", $"/api/v1/members/{promoted.UserId}", HostileBodyUse.Required,
                [new("role", K.Text, "\"admin\"", Required: true)], teamBearer),
            new("/api/v1/members/{user_id}", "DELETE", $"/api/v1/members/{removed.UserId}", HostileBodyUse.None, [], teamBearer),
            new("/api/v1/members", "POST", "/api/v1/members", HostileBodyUse.Required,
                [new("token", K.Text, JsonSerializer.Serialize(toAccept.Token), Required: true)], inviteeBearer),
            new("/api/v1/invitations", "POST", "/api/v1/invitations", HostileBodyUse.Required,
            [
                new("email", K.Text, JsonSerializer.Serialize($"invited-{Guid.NewGuid():N}@example.com"), Required: true),
                new("role", K.Text, "\"developer\"", Required: true),
            ], teamBearer),
            new("/api/v1/invitations/{id}", "DELETE", $"/api/v1/invitations/{toRevoke.Invitation.Id}", HostileBodyUse.None, [], teamBearer),
            new("/api/v1/invitations/{id}/resend", "POST", $"/api/v1/invitations/{toResend.Invitation.Id}/resend", HostileBodyUse.None, [], teamBearer),
        ];
    }

    private static string BearerOf(HttpClient client) => client.DefaultRequestHeaders.Authorization!.ToString();

    private async Task<CreatedInvitation> InviteAsync(Team team, string email)
    {
        var result = await app.WithServiceAsync<InvitationService, Backside.Core.Common.OperationResult<CreatedInvitation>>(
            invitations => invitations.CreateAsync(team.Owner.Caller, email, "viewer"));
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Value!;
    }

    private sealed record OperationOutcome(bool Succeeded);

    [Fact]
    public async Task Hostile_bodies_on_every_write_endpoint_are_refused_small_and_change_nothing()
    {
        var targets = await ArrangeTargetsAsync();
        var cases = targets.SelectMany(t => HostileBodyCases.Generate(t, MaxBodyBytes)).ToList();
        var before = await HostileDatabaseSnapshot.TakeAsync(app);

        var clock = Stopwatch.StartNew();
        var answers = await app.SendAllAsync(cases.Select(c => c.Request).ToList());
        clock.Stop();

        var failures = new List<string>();
        foreach (var (hostile, (_, answer)) in cases.Zip(answers))
        {
            var ignored = hostile.WellFormed && hostile.Target.MayIgnoreWellFormed && answer.Status is >= 200 and < 300;
            var broken = (answer.Status is < 400 or >= 500 or 429) && !ignored
                ? $"answered {HostileAnswerRules.Code(answer)}"
                : ignored ? null : HostileAnswerRules.RefusalProblem(answer);
            if (broken is not null)
                failures.Add($"[{hostile.Target.Method} {hostile.Target.Route}: {hostile.Family}] {broken}: {hostile.Request.Describe()}");
        }
        output.WriteLine($"{cases.Count} cases on {targets.Count} endpoints in {clock.Elapsed.TotalSeconds:0.0} s: {HostileAnswerRules.Tally(answers.Select(a => a.Answer))}");
        HostileAnswerRules.AssertNone(failures, cases.Count);
        Assert.Equal(before, await HostileDatabaseSnapshot.TakeAsync(app));
    }

    /// <summary>The control: each target's valid body is accepted, so the refusals above are the cases' doing.</summary>
    [Fact]
    public async Task The_valid_body_of_every_target_is_accepted()
    {
        var targets = await ArrangeTargetsAsync();

        foreach (var target in targets)
        {
            var body = target.Use == HostileBodyUse.None ? "{}" : target.ValidJson;
            var request = new HostileRequest(target.Method, target.Path)
            {
                Body = Encoding.UTF8.GetBytes(body),
                ContentType = "application/json; charset=utf-8",
                Headers = target.Authorization is null ? [] : [new("Authorization", target.Authorization)],
            };
            var answer = await app.SendAsync(request);
            Assert.True(answer.Status is >= 200 and < 300, $"{target.Method} {target.Route}: {answer.Status} {answer.Text}");
        }
    }

    [Fact]
    public async Task Every_write_endpoint_of_the_api_has_a_hostile_body_target()
    {
        var targets = await ArrangeTargetsAsync();
        var writes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Where(m => m != "GET")
                .Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .ToHashSet();

        Assert.Equal(writes.Order(), targets.Select(t => $"{t.Method} {t.Route}").Distinct().Order());
    }

    [Theory]
    [InlineData("application/json; charset=foo")]
    [InlineData("application/json; charset=\"\"")]
    public async Task A_json_body_in_an_unknown_charset_is_refused_415_not_a_500(string contentType)
    {
        var (client, _, owner) = await app.CreateClientWithKeyAsync(scopes: null);

        var response = await client.PostAsync("/api/v1/contacts", Body("""{"name":"Charset"}""", contentType));

        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await using var db = app.OpenDatabase();
        Assert.False(await db.Contacts.AnyAsync(c => c.OrganizationId == owner.OrganizationId));
    }

    [Fact]
    public async Task A_json_body_declared_in_another_charset_is_refused_not_transcoded()
    {
        var (client, _, owner) = await app.CreateClientWithKeyAsync(scopes: null);
        var latin1 = new ByteArrayContent(Encoding.Latin1.GetBytes("""{"name":"José"}"""));
        latin1.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=iso-8859-1");
        var utf16 = new ByteArrayContent(Encoding.Unicode.GetBytes("""{"name":"Wide"}"""));
        utf16.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-16");

        foreach (var content in new HttpContent[] { latin1, utf16 })
            await (await client.PostAsync("/api/v1/contacts", content)).ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");

        await using var db = app.OpenDatabase();
        Assert.False(await db.Contacts.AnyAsync(c => c.OrganizationId == owner.OrganizationId));
    }

    [Fact]
    public async Task Utf_8_is_accepted_as_stated_or_unstated_and_other_spellings_are_refused_415_not_500()
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync(scopes: null);

        foreach (var contentType in new[] { "application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8" })
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/v1/contacts", Body("""{"name":"Fine"}""", contentType))).StatusCode);
        // The framework knows neither spelling as UTF-8 and answered them 500.
        foreach (var contentType in new[] { "application/json; charset=\"utf-8\"", "application/json; charset=utf8" })
            await (await client.PostAsync("/api/v1/contacts", Body("""{"name":"Fussy"}""", contentType))).ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task A_body_without_a_content_type_gets_the_same_415_code_as_a_wrong_one()
    {
        var (client, _, _) = await app.CreateClientWithKeyAsync(scopes: null);
        var untyped = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"name":"Untyped"}"""));

        var response = await client.PostAsync("/api/v1/contacts", untyped);

        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Theory]
    [InlineData("deactivate", """{"scopes":null}""", "application/json", HttpStatusCode.BadRequest, "malformed_request")]
    [InlineData("deactivate", "garbage", "text/plain", HttpStatusCode.UnsupportedMediaType, "unsupported_media_type")]
    [InlineData("revoke", "{", "application/json", HttpStatusCode.BadRequest, "malformed_request")]
    [InlineData("revoke", "[]", "application/json", HttpStatusCode.BadRequest, "malformed_request")]
    public async Task A_body_sent_to_an_endpoint_that_takes_none_is_refused_and_the_key_is_left_as_it_was(
        string action, string body, string contentType, HttpStatusCode status, string code)
    {
        var owner = await app.CreateMemberAsync();
        var admin = await app.CreateKeyAsync(owner, scopes: null);
        var target = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);
        var client = app.CreateClientWithKey(admin.Secret);
        var request = new HttpRequestMessage(action == "revoke" ? HttpMethod.Delete : HttpMethod.Post,
            action == "revoke" ? $"/api/v1/api-keys/{target.Key.Id}" : $"/api/v1/api-keys/{target.Key.Id}/{action}")
        {
            Content = Body(body, contentType),
        };

        await (await client.SendAsync(request)).ShouldBeProblemAsync(status, code);

        await using var db = app.OpenDatabase();
        Assert.Equal(ApiKeyStatus.Active, (await db.ApiKeys.SingleAsync(k => k.Id == target.Key.Id)).Status);
    }

    [Fact]
    public async Task Endpoints_that_take_no_body_still_accept_none_or_an_empty_object()
    {
        var owner = await app.CreateMemberAsync();
        var admin = await app.CreateKeyAsync(owner, scopes: null);
        var target = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);
        var client = app.CreateClientWithKey(admin.Secret);

        (await client.PostAsync($"/api/v1/api-keys/{target.Key.Id}/deactivate", null)).EnsureSuccessStatusCode();
        (await client.PostAsync($"/api/v1/api-keys/{target.Key.Id}/activate", Body("{}", "application/json"))).EnsureSuccessStatusCode();
        (await client.PostAsync($"/api/v1/api-keys/{target.Key.Id}/deactivate", Body(" \r\n", "text/plain"))).EnsureSuccessStatusCode();
        (await client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/api-keys/{target.Key.Id}") { Content = Body(" { } ", "application/json") }))
            .EnsureSuccessStatusCode();

        await using var db = app.OpenDatabase();
        Assert.Equal(ApiKeyStatus.Revoked, (await db.ApiKeys.SingleAsync(k => k.Id == target.Key.Id)).Status);
    }

    private static ByteArrayContent Body(string text, string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }
}

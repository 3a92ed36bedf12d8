using System.Net;
using Backside.Core.Audit;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Tests.Infrastructure;
using Backside.Web.Dashboard;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Account;

/// <summary>Sign-ins, failed sign-ins, two-factor and password changes land on the person's personal organization's chain.</summary>
public class SecurityEventTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    private static string NewEmail() => $"security-{Guid.NewGuid():N}@example.com";

    private async Task<List<AuditEvent>> EventsAsync(string organizationId)
    {
        await using var db = app.OpenDatabase();
        return await db.AuditEvents.Where(e => e.OrganizationId == organizationId && e.Action.StartsWith("account.")).OrderBy(e => e.Sequence).ToListAsync();
    }

    private Task<AuditVerification> VerifyAsync(string organizationId) =>
        app.WithServiceAsync<AuditTrail, AuditVerification>(audit => audit.VerifyAsync(organizationId));

    [Fact]
    public async Task An_api_sign_in_and_a_wrong_password_are_recorded_with_the_address()
    {
        var email = NewEmail();
        var person = await app.CreateMemberAsync(email);

        (await app.LoginAsync(email)).EnsureSuccessStatusCode();
        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { email, password = "not the password" }),
        };
        wrong.Headers.Add(TestClientAddressStartupFilter.HeaderName, "198.51.100.77");
        await (await app.CreateClient().SendAsync(wrong)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");

        var events = await EventsAsync(person.OrganizationId);
        Assert.Equal([AuditActions.SignedIn, AuditActions.SignInFailed], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal(person.ActorId, e.ActorId));
        Assert.Contains("\"via\":\"api\"", events[0].Changes);
        Assert.Contains("\"reason\":\"wrong_password\"", events[1].Changes);
        Assert.Equal("198.51.100.77", events[1].IpAddress);
        Assert.True((await VerifyAsync(person.OrganizationId)).IsIntact);
    }

    [Fact]
    public async Task An_anonymous_flood_of_wrong_passwords_adds_at_most_the_lockout_threshold_and_unknown_emails_add_nothing()
    {
        var email = NewEmail();
        var person = await app.CreateMemberAsync(email);
        int before;
        await using (var db = app.OpenDatabase())
            before = await db.AuditEvents.CountAsync();

        for (var i = 0; i < 25; i++)
            await app.LoginAsync(email, $"guess {i}");
        for (var i = 0; i < 25; i++)
            await app.LoginAsync($"nobody-{i}-{Guid.NewGuid():N}@example.com", "guess");

        var failures = (await EventsAsync(person.OrganizationId)).Where(e => e.Action == AuditActions.SignInFailed).ToList();
        Assert.Equal(5, failures.Count);
        Assert.Contains("\"locked_out\":true", failures[^1].Changes);
        await using (var db = app.OpenDatabase())
            Assert.Equal(before + 5, await db.AuditEvents.CountAsync());
        Assert.True((await VerifyAsync(person.OrganizationId)).IsIntact);
    }

    [Fact]
    public async Task Dashboard_sign_in_two_factor_on_and_off_and_a_password_change_are_recorded()
    {
        var email = NewEmail();
        var person = await app.CreateMemberAsync(email);
        var client = app.CreateClient();
        await client.SubmitAsync("/Account/Login", "login", ("Input.Email", email), ("Input.Password", "wrong password"));
        await client.SignInAsync(email);
        var at = app.Time.GetUtcNow();
        await client.EnableTwoFactorAsync(at);
        client = app.CreateClient();
        await client.SignInWithCodeAsync(email, TotpVerifier.Compute(
            (await app.WithServiceAsync<Microsoft.AspNetCore.Identity.UserManager<ApplicationUser>, string?>(
                async users => await users.GetAuthenticatorKeyAsync((await users.FindByEmailAsync(email))!)))!, at.AddSeconds(30)));
        await client.SubmitAsync("/Account/Manage/Disable2fa", "disable-2fa");
        client = app.CreateClient();
        await client.SignInAsync(email);
        await client.SubmitAsync("/Account/Manage/ChangePassword", "change-password",
            ("Input.OldPassword", BacksideAppFactory.Password), ("Input.NewPassword", "twelve chars"), ("Input.ConfirmPassword", "twelve chars"));

        var events = await EventsAsync(person.OrganizationId);
        Assert.Equal(
            [
                AuditActions.SignInFailed, AuditActions.SignedIn, AuditActions.TwoFactorEnabled, AuditActions.RecoveryCodesGenerated,
                AuditActions.SignedIn, AuditActions.TwoFactorDisabled, AuditActions.SignedIn, AuditActions.PasswordChanged,
            ],
            events.Select(e => e.Action));
        Assert.Contains("\"method\":\"authenticator\"", events[4].Changes);
        Assert.Contains("\"via\":\"dashboard\"", events[1].Changes);
        Assert.True((await VerifyAsync(person.OrganizationId)).IsIntact);
    }

    [Fact]
    public async Task A_team_member_s_sign_in_stays_in_their_personal_organization()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Admin);
        var admin = team.With(OrganizationRole.Admin);

        (await app.LoginAsync(admin.Email)).EnsureSuccessStatusCode();

        Assert.Empty(await EventsAsync(team.OrganizationId));
        var personal = await app.WithServiceAsync<OrganizationService, Membership?>(o => o.FindMembershipAsync(admin.UserId));
        Assert.Single(await EventsAsync(personal!.OrganizationId));
    }

    [Fact]
    public async Task The_export_streams_csv_of_the_filtered_log_with_formula_cells_defused()
    {
        var email = NewEmail();
        var person = await app.CreateMemberAsync(email);
        await app.CreateKeyAsync(person, [Backside.Core.ApiKeys.Scopes.ContactsRead], name: "=HYPERLINK(\"http://evil\")");
        await app.CreateKeyAsync(person, [Backside.Core.ApiKeys.Scopes.ContactsRead], name: "Plain, with comma");
        var client = app.CreateClient();
        await client.SignInAsync(email);

        var response = await client.GetAsync($"{AuditExportEndpoints.Path}?organization_id={person.OrganizationId}&action=api_key.created");
        var csv = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("sequence,occurred_at,action,", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Contains(",\"'=HYPERLINK(\"\"http://evil\"\") (", lines[2]);
        Assert.Contains(",\"Plain, with comma (", lines[1]);
        Assert.DoesNotContain(lines, l => l.Contains("account.signed_in", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("&from=not-a-date", HttpStatusCode.BadRequest)]
    [InlineData("&action=%00%01", HttpStatusCode.BadRequest)]
    [InlineData("&q=%0A%0D", HttpStatusCode.OK)]
    [InlineData("&key_id=key_%27%22", HttpStatusCode.BadRequest)]
    [InlineData("&to=2026-01-01&from=2026-02-01", HttpStatusCode.BadRequest)]
    public async Task Bad_export_filters_are_a_4xx_never_a_500(string query, HttpStatusCode expected)
    {
        var email = NewEmail();
        var person = await app.CreateMemberAsync(email);
        var client = app.CreateClient();
        await client.SignInAsync(email);

        var response = await client.GetAsync($"{AuditExportEndpoints.Path}?organization_id={person.OrganizationId}{query}");

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task The_export_of_an_organization_the_person_is_not_in_is_refused()
    {
        var email = NewEmail();
        await app.CreateMemberAsync(email);
        var stranger = await app.CreateMemberAsync();
        var client = app.CreateClient();
        await client.SignInAsync(email);

        var response = await client.GetAsync($"{AuditExportEndpoints.Path}?organization_id={stranger.OrganizationId}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+cmd", "'+cmd")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "\"'\rx\"")]
    [InlineData("a\"b", "\"a\"\"b\"")]
    [InlineData("plain", "plain")]
    public void Csv_cells_defuse_formulas_and_quote_separators(string value, string written) =>
        Assert.Equal(written, AuditCsv.Cell(value));
}

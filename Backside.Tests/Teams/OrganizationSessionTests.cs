using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Backside.Core.Common;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Teams;

/// <summary>
/// API sessions and organizations: login picks one, every access-token request re-reads the membership (removal,
/// demotion, security change), refresh keeps the organization, and a person in two organizations sees each apart.
/// </summary>
public class OrganizationSessionTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    [Fact]
    public async Task Login_names_the_organization_the_tokens_act_in()
    {
        var (email, personal, _) = await PersonInTwoOrganizationsAsync();

        var tokens = await (await app.LoginAsync(email)).ShouldBeJsonAsync(HttpStatusCode.OK);

        var organization = tokens.GetProperty("organization");
        Assert.Equal(personal.OrganizationId, organization.GetProperty("id").GetString());
        Assert.Equal(personal.OrganizationName, organization.GetProperty("name").GetString());
        Assert.Equal("owner", organization.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Login_with_organization_id_acts_there_and_sees_only_that_organizations_keys()
    {
        var (email, personal, team) = await PersonInTwoOrganizationsAsync(teamRole: OrganizationRole.Developer);
        var personalKey = await app.CreateKeyAsync(Caller.ForMember(personal, await UserIdAsync(email)), environment: "test", name: "Personal key");
        var teamKey = await app.CreateKeyAsync(Caller.ForMember(team, await OwnerOfAsync(team.OrganizationId)), environment: "test", name: "Team key");

        var tokens = await (await LoginAsync(email, team.OrganizationId)).ShouldBeJsonAsync(HttpStatusCode.OK);
        var teamClient = ClientWith(tokens);
        var personalClient = ClientWith(await (await LoginAsync(email, personal.OrganizationId)).ShouldBeJsonAsync(HttpStatusCode.OK));

        Assert.Equal(team.OrganizationId, tokens.GetProperty("organization").GetProperty("id").GetString());
        Assert.Equal("developer", tokens.GetProperty("organization").GetProperty("role").GetString());
        Assert.Equal([teamKey.Key.Id], await KeyIdsAsync(teamClient, "test"));
        Assert.Equal([personalKey.Key.Id], await KeyIdsAsync(personalClient, "test"));
        await (await teamClient.GetAsync($"/api/v1/api-keys/{personalKey.Key.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "resource_not_found");
        await (await personalClient.GetAsync($"/api/v1/api-keys/{teamKey.Key.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "resource_not_found");
    }

    [Fact]
    public async Task Login_to_an_organization_the_person_does_not_belong_to_is_refused_alike_for_unknown_ids()
    {
        var (email, _, _) = await PersonInTwoOrganizationsAsync();
        var stranger = await app.CreateMemberAsync();

        var notAMember = await (await LoginAsync(email, stranger.OrganizationId)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var unknown = await (await LoginAsync(email, "org_" + new string('0', 32))).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var malformed = await (await LoginAsync(email, "not an id")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        var message = notAMember.GetProperty("errors").GetProperty("organization_id")[0].GetString();
        Assert.Equal(ActiveOrganization.NotAMemberMessage, message);
        Assert.Equal(message, unknown.GetProperty("errors").GetProperty("organization_id")[0].GetString());
        Assert.Equal(message, malformed.GetProperty("errors").GetProperty("organization_id")[0].GetString());
        // Without the right password the organization is never looked at.
        await (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/login",
                new { email, password = "wrong-password", organization_id = stranger.OrganizationId }))
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        await (await LoginAsync(email, new string('x', 200))).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task Login_without_organization_id_acts_in_the_last_chosen_one_while_the_person_belongs_to_it()
    {
        var (email, personal, team) = await PersonInTwoOrganizationsAsync();
        var userId = await UserIdAsync(email);
        await using (var db = app.OpenDatabase())
            await ActiveOrganization.RememberAsync(db, userId, team.OrganizationId);

        var toTeam = await (await app.LoginAsync(email)).ShouldBeJsonAsync(HttpStatusCode.OK);
        await RemoveAsync(userId, team.OrganizationId);
        var afterRemoval = await (await app.LoginAsync(email)).ShouldBeJsonAsync(HttpStatusCode.OK);

        Assert.Equal(team.OrganizationId, toTeam.GetProperty("organization").GetProperty("id").GetString());
        Assert.Equal(personal.OrganizationId, afterRemoval.GetProperty("organization").GetProperty("id").GetString());
    }

    [Fact]
    public async Task An_access_token_of_a_removed_member_is_refused_on_its_next_request()
    {
        var (email, _, team) = await PersonInTwoOrganizationsAsync();
        var client = ClientWith(await (await LoginAsync(email, team.OrganizationId)).ShouldBeJsonAsync(HttpStatusCode.OK));
        await (await client.GetAsync("/api/v1/api-keys")).ShouldBeJsonAsync(HttpStatusCode.OK);

        await RemoveAsync(await UserIdAsync(email), team.OrganizationId);
        var response = await client.GetAsync("/api/v1/api-keys");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "organization_membership_ended");
        Assert.Contains("no longer belong", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_demoted_admin_acts_with_the_new_role_on_the_next_request()
    {
        var (email, _, team) = await PersonInTwoOrganizationsAsync(teamRole: OrganizationRole.Admin);
        var client = ClientWith(await (await LoginAsync(email, team.OrganizationId)).ShouldBeJsonAsync(HttpStatusCode.OK));
        var asAdmin = await client.PostAsJsonAsync("/api/v1/api-keys", new { name = "As admin", environment = "live", scopes = new[] { "contacts:read" } });
        app.IssuedSecrets.Add((await asAdmin.ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("key").GetString()!);

        await SetRoleAsync(await UserIdAsync(email), team.OrganizationId, OrganizationRole.Developer);
        var asDeveloper = await client.PostAsJsonAsync("/api/v1/api-keys", new { name = "Live as developer", environment = "live", scopes = new[] { "contacts:read" } });
        await SetRoleAsync(await UserIdAsync(email), team.OrganizationId, OrganizationRole.Viewer);
        var asViewer = await client.PostAsJsonAsync("/api/v1/api-keys", new { name = "As viewer", environment = "test", scopes = new[] { "contacts:read" } });

        await asDeveloper.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "insufficient_role");
        Assert.Equal("api-keys:write", (await asViewer.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope")).GetProperty("required_scope").GetString());
    }

    [Fact]
    public async Task A_security_change_ends_the_accounts_access_tokens_on_their_next_request()
    {
        var (email, _, _) = await PersonInTwoOrganizationsAsync();
        var client = ClientWith(await (await app.LoginAsync(email)).ShouldBeJsonAsync(HttpStatusCode.OK));
        await (await client.GetAsync("/api/v1/api-keys")).ShouldBeJsonAsync(HttpStatusCode.OK);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = (await users.FindByEmailAsync(email))!;
            Assert.True((await users.ChangePasswordAsync(user, BacksideAppFactory.Password, "Another-Horse-7")).Succeeded);
        }

        await (await client.GetAsync("/api/v1/api-keys")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "session_ended");
    }

    [Fact]
    public async Task Refresh_keeps_the_sessions_organization_and_ends_the_session_once_the_membership_has()
    {
        var (email, _, team) = await PersonInTwoOrganizationsAsync(teamRole: OrganizationRole.Viewer);
        var tokens = await (await LoginAsync(email, team.OrganizationId)).ShouldBeJsonAsync(HttpStatusCode.OK);

        var refreshed = await (await app.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!)).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(team.OrganizationId, refreshed.GetProperty("organization").GetProperty("id").GetString());
        Assert.Equal("viewer", refreshed.GetProperty("organization").GetProperty("role").GetString());

        var userId = await UserIdAsync(email);
        await RemoveAsync(userId, team.OrganizationId);
        await (await app.RefreshAsync(refreshed.GetProperty("refresh_token").GetString()!))
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "organization_membership_ended");
        await (await ClientWith(refreshed).GetAsync("/api/v1/api-keys"))
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "organization_membership_ended");

        await using var db = app.OpenDatabase();
        Assert.Equal(0, await db.RefreshTokens.CountAsync(t => t.UserId == userId && t.OrganizationId == team.OrganizationId && t.RevokedAt == null));
    }

    [Fact]
    public async Task An_access_token_request_reads_the_membership_with_one_query()
    {
        var (email, _, team) = await PersonInTwoOrganizationsAsync();
        var client = ClientWith(await (await LoginAsync(email, team.OrganizationId)).ShouldBeJsonAsync(HttpStatusCode.OK));
        await (await client.GetAsync("/api/v1/audit-events?limit=1")).ShouldBeJsonAsync(HttpStatusCode.OK);

        var before = app.Commands.CountMatching("OrganizationMembers");
        await (await client.GetAsync("/api/v1/audit-events?limit=1")).ShouldBeJsonAsync(HttpStatusCode.OK);

        Assert.Equal(1, app.Commands.CountMatching("OrganizationMembers") - before);
    }

    /// <summary>A person with a personal organization who also belongs to a team (made by someone else) with <paramref name="teamRole"/>.</summary>
    private async Task<(string Email, Membership Personal, Membership Team)> PersonInTwoOrganizationsAsync(OrganizationRole teamRole = OrganizationRole.Admin)
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        var person = await app.CreateMemberAsync(email);
        var owner = await app.CreateMemberAsync();
        var created = await app.WithServiceAsync<OrganizationService, OperationResult<Membership>>(o => o.CreateTeamAsync(owner, $"Team {Guid.NewGuid():N}"[..20]));
        Assert.True(created.Succeeded);
        app.Time.Advance(TimeSpan.FromSeconds(1));
        await using (var db = app.OpenDatabase())
        {
            db.OrganizationMembers.Add(new OrganizationMember
            {
                OrganizationId = created.Value.OrganizationId,
                UserId = person.ActorId,
                Role = teamRole,
                CreatedAt = app.Time.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        }
        var personal = (await app.WithServiceAsync<OrganizationService, Membership?>(o => o.FindMembershipAsync(person.ActorId, person.OrganizationId)))!;
        return (email, personal, created.Value with { Role = teamRole });
    }

    private async Task<string> UserIdAsync(string email)
    {
        await using var db = app.OpenDatabase();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    private async Task<string> OwnerOfAsync(string organizationId)
    {
        await using var db = app.OpenDatabase();
        return await db.OrganizationMembers.Where(m => m.OrganizationId == organizationId && m.Role == OrganizationRole.Owner).Select(m => m.UserId).FirstAsync();
    }

    /// <summary>Removal straight in the database, behind the app's back: only the per-request check can notice.</summary>
    private async Task RemoveAsync(string userId, string organizationId)
    {
        await using var db = app.OpenDatabase();
        await db.OrganizationMembers.Where(m => m.UserId == userId && m.OrganizationId == organizationId).ExecuteDeleteAsync();
    }

    private async Task SetRoleAsync(string userId, string organizationId, OrganizationRole role)
    {
        await using var db = app.OpenDatabase();
        await db.OrganizationMembers.Where(m => m.UserId == userId && m.OrganizationId == organizationId)
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.Role, role));
    }

    private Task<HttpResponseMessage> LoginAsync(string email, string organizationId) =>
        app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email, password = BacksideAppFactory.Password, organization_id = organizationId });

    private static async Task<List<string>> KeyIdsAsync(HttpClient client, string environment)
    {
        var list = await (await client.GetAsync($"/api/v1/api-keys?environment={environment}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        return list.GetProperty("data").EnumerateArray().Select(k => k.GetProperty("id").GetString()!).ToList();
    }

    private HttpClient ClientWith(JsonElement tokens)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        return client;
    }
}

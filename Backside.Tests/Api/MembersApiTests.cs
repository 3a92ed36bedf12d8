using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Backside.Core.ApiKeys;
using Backside.Core.Organizations;
using Backside.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Backside.Tests.Api;

/// <summary>/members and /organization(s) over HTTP, for people (access tokens) and keys; every answer is checked against the document.</summary>
public class MembersApiTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    [Fact]
    public async Task Members_are_listed_with_email_role_and_joined_at_and_paged_by_user_id()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Admin, OrganizationRole.Viewer);
        var client = app.ClientFor(team, team.With(OrganizationRole.Viewer));

        var all = await (await client.GetAsync("/api/v1/members")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var first = await (await client.GetAsync("/api/v1/members?limit=2")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var lastId = first.GetProperty("data")[1].GetProperty("user_id").GetString();
        var rest = await (await client.GetAsync($"/api/v1/members?limit=2&starting_after={lastId}")).ShouldBeJsonAsync(HttpStatusCode.OK);

        var members = all.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(team.Everyone.Select(m => m.UserId).Order(StringComparer.Ordinal), members.Select(m => m.GetProperty("user_id").GetString()));
        var owner = members.Single(m => m.GetProperty("user_id").GetString() == team.Owner.UserId);
        Assert.Equal((team.Owner.Email, "owner", "member"), (owner.GetProperty("email").GetString(), owner.GetProperty("role").GetString(), owner.GetProperty("object").GetString()));
        Assert.True(first.GetProperty("has_more").GetBoolean());
        Assert.False(rest.GetProperty("has_more").GetBoolean());
        Assert.Single(rest.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task The_document_names_the_roles_core_knows_and_the_statuses_each_operation_answers()
    {
        var document = await (await app.CreateClient().GetAsync("/openapi/v1.json")).ShouldBeJsonAsync(HttpStatusCode.OK);

        var schemas = document.GetProperty("components").GetProperty("schemas");
        Assert.Equal<string?>(OrganizationRoles.Names, Enum(schemas.GetProperty("ChangeMemberRoleRequest").GetProperty("properties").GetProperty("role")));
        Assert.Equal("#/components/schemas/OrganizationRole", schemas.GetProperty("MemberResponse").GetProperty("properties").GetProperty("role").GetProperty("$ref").GetString());
        Assert.Equal<string?>(OrganizationRoles.Names, Enum(schemas.GetProperty("OrganizationRole")));
        Assert.Equal<string?>([.. OrganizationRoles.Names, null], Enum(schemas.GetProperty("OrganizationResponse").GetProperty("properties").GetProperty("role")));
        var paths = document.GetProperty("paths");
        Assert.Equal(["200", "400", "401", "403", "404", "405", "409", "413", "415", "429", "500", "503"], Statuses(paths, "/api/v1/members/{user_id}", "patch"));
        Assert.Equal(["204", "400", "401", "403", "404", "405", "409", "413", "415", "429", "500", "503"], Statuses(paths, "/api/v1/members/{user_id}", "delete"));
        Assert.Equal(["200", "400", "401", "403", "405", "429", "500", "503"], Statuses(paths, "/api/v1/organization", "get"));
        Assert.Equal(["200", "400", "401", "403", "404", "405", "409", "413", "415", "429", "500", "503"], Statuses(paths, "/api/v1/organization/transfer-ownership", "post"));
        Assert.Equal(["201", "400", "401", "403", "405", "413", "415", "429", "500", "503"], Statuses(paths, "/api/v1/organizations", "post"));
        // POST /members is the invitations' accept, not a way to add someone without one.
        Assert.Equal("acceptInvitation", paths.GetProperty("/api/v1/members").GetProperty("post").GetProperty("operationId").GetString());
    }

    private static List<string?> Enum(JsonElement schema) =>
        schema.TryGetProperty("enum", out var values) ? [.. values.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? null : v.GetString())] : [];

    private static List<string> Statuses(JsonElement paths, string path, string method) =>
        [.. paths.GetProperty(path).GetProperty(method).GetProperty("responses").EnumerateObject().Select(r => r.Name).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task A_page_size_out_of_range_is_a_400()
    {
        var team = await app.CreateTeamAsync();

        var response = await app.ClientFor(team, team.Owner).GetAsync("/api/v1/members?limit=101");

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, code: "validation_failed");
    }

    [Fact]
    public async Task An_owner_changes_a_role_and_an_unknown_role_is_a_400()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Developer);
        var developer = team.With(OrganizationRole.Developer);
        var client = app.ClientFor(team, team.Owner);

        var promoted = await (await client.PatchAsJsonAsync($"/api/v1/members/{developer.UserId}", new { role = "admin" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var refused = await client.PatchAsJsonAsync($"/api/v1/members/{developer.UserId}", new { role = "root" });

        Assert.Equal("admin", promoted.GetProperty("role").GetString());
        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest, code: "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("role", out _));
    }

    [Fact]
    public async Task Another_organizations_user_id_is_not_found()
    {
        var team = await app.CreateTeamAsync();
        var other = await app.CreateTeamAsync(OrganizationRole.Viewer);
        var stranger = other.With(OrganizationRole.Viewer);
        var client = app.ClientFor(team, team.Owner);

        var patch = await client.PatchAsJsonAsync($"/api/v1/members/{stranger.UserId}", new { role = "admin" });
        var delete = await client.DeleteAsync($"/api/v1/members/{stranger.UserId}");
        var transfer = await client.PostAsJsonAsync("/api/v1/organization/transfer-ownership", new { user_id = stranger.UserId });

        await patch.ShouldBeProblemAsync(HttpStatusCode.NotFound, code: "resource_not_found");
        await delete.ShouldBeProblemAsync(HttpStatusCode.NotFound, code: "resource_not_found");
        await transfer.ShouldBeProblemAsync(HttpStatusCode.NotFound, code: "resource_not_found");
        await using var db = app.OpenDatabase();
        Assert.True(await db.OrganizationMembers.AnyAsync(m => m.OrganizationId == other.OrganizationId && m.UserId == stranger.UserId && m.Role == OrganizationRole.Viewer));
    }

    [Fact]
    public async Task A_developer_or_viewer_token_cannot_change_members()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Developer, OrganizationRole.Viewer);
        var viewer = team.With(OrganizationRole.Viewer);

        var byDeveloper = await app.ClientFor(team, team.With(OrganizationRole.Developer))
            .PatchAsJsonAsync($"/api/v1/members/{viewer.UserId}", new { role = "admin" });
        var byViewer = await app.ClientFor(team, viewer).DeleteAsync($"/api/v1/members/{team.Owner.UserId}");

        Assert.Equal(HttpStatusCode.Forbidden, byDeveloper.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byViewer.StatusCode);
        await using var db = app.OpenDatabase();
        Assert.Equal(3, await db.OrganizationMembers.CountAsync(m => m.OrganizationId == team.OrganizationId && m.Role != OrganizationRole.Admin));
    }

    [Fact]
    public async Task A_viewer_may_leave_with_their_own_user_id()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Viewer);
        var viewer = team.With(OrganizationRole.Viewer);
        var client = app.ClientFor(team, viewer);

        var left = await client.DeleteAsync($"/api/v1/members/{viewer.UserId}");
        var after = await client.GetAsync("/api/v1/members");

        Assert.Equal(HttpStatusCode.NoContent, left.StatusCode);
        await after.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, code: "organization_membership_ended");
    }

    [Fact]
    public async Task The_last_owner_leaving_is_a_409()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Admin);

        var response = await app.ClientFor(team, team.Owner).DeleteAsync($"/api/v1/members/{team.Owner.UserId}");

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, code: "last_owner");
    }

    [Fact]
    public async Task A_live_key_with_members_write_changes_non_owners_but_never_owners()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Owner, OrganizationRole.Developer);
        var developer = team.With(OrganizationRole.Developer);
        var key = await app.CreateKeyAsync(team.Owner.Caller, scopes: [Scopes.MembersWrite]);
        var client = app.CreateClientWithKey(key.Secret);

        var changed = await (await client.PatchAsJsonAsync($"/api/v1/members/{developer.UserId}", new { role = "viewer" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var promote = await client.PatchAsJsonAsync($"/api/v1/members/{developer.UserId}", new { role = "owner" });
        var demoteOwner = await client.PatchAsJsonAsync($"/api/v1/members/{team.With(OrganizationRole.Owner).UserId}", new { role = "admin" });
        var removeOwner = await client.DeleteAsync($"/api/v1/members/{team.With(OrganizationRole.Owner).UserId}");
        var transfer = await client.PostAsJsonAsync("/api/v1/organization/transfer-ownership", new { user_id = developer.UserId });

        Assert.Equal("viewer", changed.GetProperty("role").GetString());
        foreach (var refused in new[] { promote, demoteOwner, removeOwner })
        {
            var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.Forbidden, code: "insufficient_role");
            Assert.Equal("manage_owners", problem.GetProperty("required_right").GetString());
        }
        // members:write does not reach the organization's own settings.
        await transfer.ShouldBeProblemAsync(HttpStatusCode.Forbidden, code: "insufficient_scope");
        await using var db = app.OpenDatabase();
        Assert.Equal(2, await db.OrganizationMembers.CountAsync(m => m.OrganizationId == team.OrganizationId && m.Role == OrganizationRole.Owner));
    }

    [Fact]
    public async Task A_test_key_cannot_change_members_or_settings()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Developer);
        var key = await app.CreateKeyAsync(team.Owner.Caller, scopes: [Scopes.MembersWrite, Scopes.OrganizationWrite], environment: "test");
        var client = app.CreateClientWithKey(key.Secret);

        var patch = await client.PatchAsJsonAsync($"/api/v1/members/{team.With(OrganizationRole.Developer).UserId}", new { role = "viewer" });
        var rename = await client.PatchAsJsonAsync("/api/v1/organization", new { name = "Test mode" });
        var list = await client.GetAsync("/api/v1/members");

        await patch.ShouldBeProblemAsync(HttpStatusCode.Forbidden, code: "live_key_required");
        await rename.ShouldBeProblemAsync(HttpStatusCode.Forbidden, code: "live_key_required");
        await list.ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_organization_is_read_with_its_plan_policies_and_the_callers_role()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Developer);
        var key = await app.CreateKeyAsync(team.Owner.Caller, scopes: [Scopes.OrganizationRead]);

        var asDeveloper = await (await app.ClientFor(team, team.With(OrganizationRole.Developer)).GetAsync("/api/v1/organization")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var asKey = await (await app.CreateClientWithKey(key.Secret).GetAsync("/api/v1/organization")).ShouldBeJsonAsync(HttpStatusCode.OK);

        Assert.Equal((team.OrganizationId, team.Name, "team", "developer"), (asDeveloper.GetProperty("id").GetString(),
            asDeveloper.GetProperty("name").GetString(), asDeveloper.GetProperty("kind").GetString(), asDeveloper.GetProperty("role").GetString()));
        var plan = asDeveloper.GetProperty("plan");
        Assert.Equal("Free", plan.GetProperty("name").GetString());
        Assert.True(plan.GetProperty("max_active_keys").GetInt32() > 0);
        Assert.Equal(90, asDeveloper.GetProperty("policies").GetProperty("rotation_reminder_days").GetInt32());
        Assert.Equal(JsonValueKind.Null, asKey.GetProperty("role").ValueKind);
    }

    [Fact]
    public async Task Patch_sets_policies_and_refuses_a_long_name_or_bad_days()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Admin);
        var admin = team.With(OrganizationRole.Admin);
        // The two-factor policy is changed only by someone with two-factor on, or they could switch off what binds them.
        var withoutTwoFactor = await app.ClientFor(team, admin).PatchAsJsonAsync("/api/v1/organization", new { name = "Acme", require_two_factor_for_keys = true });
        await withoutTwoFactor.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "two_factor_required");
        await app.EnableTwoFactorAsync(admin.Email);
        var client = app.ClientFor(team, admin);

        var updated = await (await client.PatchAsJsonAsync("/api/v1/organization",
            new { name = "Acme", max_live_key_lifetime_days = 90, require_two_factor_for_keys = true })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var cleared = await (await client.PatchAsJsonAsync("/api/v1/organization", new { max_live_key_lifetime_days = (int?)null })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var longName = await client.PatchAsJsonAsync("/api/v1/organization", new { name = new string('a', Organization.MaxNameLength + 1) });
        var badDays = await client.PatchAsJsonAsync("/api/v1/organization", new { rotation_reminder_days = 0 });
        var plan = await client.PatchAsJsonAsync("/api/v1/organization", new { plan = "Pro" });

        Assert.Equal("Acme", updated.GetProperty("name").GetString());
        Assert.Equal(90, updated.GetProperty("policies").GetProperty("max_live_key_lifetime_days").GetInt32());
        Assert.True(updated.GetProperty("policies").GetProperty("require_two_factor_for_keys").GetBoolean());
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("policies").GetProperty("max_live_key_lifetime_days").ValueKind);
        var problem = await longName.ShouldBeProblemAsync(HttpStatusCode.BadRequest, code: "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("name", out _));
        await badDays.ShouldBeProblemAsync(HttpStatusCode.BadRequest, code: "validation_failed");
        // The plan is not writable here: an unknown member of the body.
        await plan.ShouldBeProblemAsync(HttpStatusCode.BadRequest, code: "malformed_request");
        await using var db = app.OpenDatabase();
        Assert.Equal(PlanOptions.DefaultPlanName, (await db.Organizations.SingleAsync(o => o.Id == team.OrganizationId)).Plan);
    }

    [Fact]
    public async Task A_viewer_cannot_change_the_organization()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Viewer);

        var response = await app.ClientFor(team, team.With(OrganizationRole.Viewer)).PatchAsJsonAsync("/api/v1/organization", new { name = "Mine" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Ownership_is_transferred_by_an_owner_only()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Admin, OrganizationRole.Viewer);
        var viewer = team.With(OrganizationRole.Viewer);

        var byAdmin = await app.ClientFor(team, team.With(OrganizationRole.Admin))
            .PostAsJsonAsync("/api/v1/organization/transfer-ownership", new { user_id = viewer.UserId });
        var byOwner = await app.ClientFor(team, team.Owner)
            .PostAsJsonAsync("/api/v1/organization/transfer-ownership", new { user_id = viewer.UserId });

        var problem = await byAdmin.ShouldBeProblemAsync(HttpStatusCode.Forbidden, code: "insufficient_role");
        Assert.Equal("transfer_ownership", problem.GetProperty("required_right").GetString());
        var member = await byOwner.ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal((viewer.UserId, "owner"), (member.GetProperty("user_id").GetString(), member.GetProperty("role").GetString()));
    }

    [Fact]
    public async Task An_access_token_creates_a_team_organization_and_is_its_owner_and_a_key_cannot()
    {
        var team = await app.CreateTeamAsync();
        var key = await app.CreateKeyAsync(team.Owner.Caller);

        var created = await app.ClientFor(team, team.Owner).PostAsJsonAsync("/api/v1/organizations", new { name = "  New team  " });
        var byKey = await app.CreateClientWithKey(key.Secret).PostAsJsonAsync("/api/v1/organizations", new { name = "Sideways" });
        var empty = await app.ClientFor(team, team.Owner).PostAsJsonAsync("/api/v1/organizations", new { name = "" });

        var organization = await created.ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal(("New team", "team", "owner"), (organization.GetProperty("name").GetString(),
            organization.GetProperty("kind").GetString(), organization.GetProperty("role").GetString()));
        Assert.Equal("/api/v1/organization", created.Headers.Location?.OriginalString);
        await byKey.ShouldBeProblemAsync(HttpStatusCode.Forbidden, code: "user_required");
        await empty.ShouldBeProblemAsync(HttpStatusCode.BadRequest, code: "validation_failed");
    }

    [Fact]
    public async Task Only_an_owner_with_an_access_token_deletes_a_team_and_never_a_personal_organization()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Admin);
        var key = await app.CreateKeyAsync(team.Owner.Caller, scopes: [Scopes.OrganizationWrite]);
        var personal = await app.CreateMemberAsync();
        var personalTeam = new Team(personal.OrganizationId, "Personal", new TeamMember(personal.ActorId, "", OrganizationRole.Owner, personal), []);

        var byKey = await app.CreateClientWithKey(key.Secret).DeleteAsync("/api/v1/organization");
        var byAdmin = await app.ClientFor(team, team.With(OrganizationRole.Admin)).DeleteAsync("/api/v1/organization");
        var ofPersonal = await app.ClientFor(personalTeam, personalTeam.Owner).DeleteAsync("/api/v1/organization");
        var byOwner = await app.ClientFor(team, team.Owner).DeleteAsync("/api/v1/organization");

        Assert.Equal("delete_organization", (await byKey.ShouldBeProblemAsync(HttpStatusCode.Forbidden, code: "insufficient_role")).GetProperty("required_right").GetString());
        Assert.Equal("delete_organization", (await byAdmin.ShouldBeProblemAsync(HttpStatusCode.Forbidden, code: "insufficient_role")).GetProperty("required_right").GetString());
        await ofPersonal.ShouldBeProblemAsync(HttpStatusCode.Conflict, code: "personal_organization");
        Assert.Equal(HttpStatusCode.NoContent, byOwner.StatusCode);
        // The key was revoked before its organization went.
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClientWithKey(key.Secret).GetAsync("/api/v1/organization")).StatusCode);
        await using var db = app.OpenDatabase();
        Assert.False(await db.Organizations.AnyAsync(o => o.Id == team.OrganizationId));
        Assert.True(await db.Organizations.AnyAsync(o => o.Id == personal.OrganizationId));
    }
}

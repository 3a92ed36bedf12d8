using System.Net;
using System.Text.Json;
using Backside.Core.ApiKeys;
using Backside.Core.Common;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Organizations;

/// <summary>The last-owner rule, leaving, transfer, deletion, and what each leaves in the audit trail.</summary>
public class MemberLifecycleTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    [Fact]
    public async Task The_last_owner_cannot_be_demoted()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Admin);

        var result = await Members(s => s.ChangeRoleAsync(team.Owner.Caller, team.Owner.UserId, "admin"));

        Assert.Equal((ErrorKind.Conflict, "last_owner"), (result.Error!.Kind, result.Error.Code));
        Assert.Equal(OrganizationRole.Owner, await RoleAsync(team, team.Owner));
    }

    [Fact]
    public async Task The_last_owner_cannot_leave_and_is_told_to_transfer_ownership_or_delete()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Admin);

        var result = await Members(s => s.RemoveAsync(team.Owner.Caller, team.Owner.UserId));

        Assert.Equal("last_owner", result.Error!.Code);
        Assert.Contains("Transfer ownership", result.Error.Message);
        Assert.Contains("delete the organization", result.Error.Message);
        Assert.Equal(OrganizationRole.Owner, await RoleAsync(team, team.Owner));
    }

    [Fact]
    public async Task With_two_owners_one_may_demote_the_other_but_not_then_the_last()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Owner);
        var second = team.With(OrganizationRole.Owner);

        var demoted = await Members(s => s.ChangeRoleAsync(team.Owner.Caller, second.UserId, "developer"));
        var last = await Members(s => s.ChangeRoleAsync(team.Owner.Caller, team.Owner.UserId, "viewer"));

        Assert.True(demoted.Succeeded, demoted.Error?.Message);
        Assert.Equal(OrganizationRole.Developer, demoted.Value!.Role);
        Assert.Equal("last_owner", last.Error!.Code);
    }

    [Fact]
    public async Task Two_owners_demoting_each_other_at_once_leave_one_owner()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Owner);
        var second = team.With(OrganizationRole.Owner);

        var results = await Task.WhenAll(
            Members(s => s.ChangeRoleAsync(team.Owner.Caller, second.UserId, "admin")),
            Members(s => s.ChangeRoleAsync(second.Caller, team.Owner.UserId, "admin")));

        // The second to commit finds itself demoted already (or the other the last Owner), and is refused.
        Assert.Single(results, r => r.Succeeded);
        Assert.Single(results, r => r.Error?.Code is "last_owner" or "insufficient_role");
        await using var db = app.OpenDatabase();
        Assert.Equal(1, await db.OrganizationMembers.CountAsync(m => m.OrganizationId == team.OrganizationId && m.Role == OrganizationRole.Owner));
    }

    [Fact]
    public async Task A_personal_organizations_owner_cannot_leave_it()
    {
        var person = await app.CreateMemberAsync();

        var result = await Members(s => s.RemoveAsync(person, person.ActorId));

        Assert.Equal((ErrorKind.Conflict, "personal_organization"), (result.Error!.Kind, result.Error.Code));
    }

    [Fact]
    public async Task An_unknown_role_is_a_validation_error_naming_the_roles()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Developer);

        var result = await Members(s => s.ChangeRoleAsync(team.Owner.Caller, team.With(OrganizationRole.Developer).UserId, "superuser"));

        Assert.Equal("validation_failed", result.Error!.Code);
        Assert.Contains("owner, admin, developer, viewer", result.Error.FieldErrors!["role"].Single());
    }

    [Fact]
    public async Task A_member_of_another_organization_is_not_found()
    {
        var team = await app.CreateTeamAsync();
        var other = await app.CreateTeamAsync(OrganizationRole.Developer);
        var stranger = other.With(OrganizationRole.Developer);

        var change = await Members(s => s.ChangeRoleAsync(team.Owner.Caller, stranger.UserId, "viewer"));
        var remove = await Members(s => s.RemoveAsync(team.Owner.Caller, stranger.UserId));
        var transfer = await Members(s => s.TransferOwnershipAsync(team.Owner.Caller, stranger.UserId));

        Assert.All(new[] { change.Error, remove.Error, transfer.Error }, e => Assert.Equal("resource_not_found", e!.Code));
        Assert.Equal(OrganizationRole.Developer, await RoleAsync(other, stranger));
    }

    [Fact]
    public async Task Leaving_is_audited_as_left_and_clears_the_last_organization()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Viewer);
        var viewer = team.With(OrganizationRole.Viewer);
        await SetLastOrganizationAsync(viewer.UserId, team.OrganizationId);

        var result = await Members(s => s.RemoveAsync(viewer.Caller, viewer.UserId));

        Assert.True(result.Succeeded, result.Error?.Message);
        await using var db = app.OpenDatabase();
        Assert.Null((await db.Users.SingleAsync(u => u.Id == viewer.UserId)).LastOrganizationId);
        var left = await db.AuditEvents.Where(e => e.OrganizationId == team.OrganizationId).OrderByDescending(e => e.Sequence).FirstAsync();
        Assert.Equal(("member.left", viewer.UserId), (left.Action, left.ActorId));
        Assert.Equal(viewer.UserId, JsonDocument.Parse(left.Changes).RootElement.GetProperty("user_id").GetString());
        // They still have their own organization.
        Assert.True(await db.OrganizationMembers.AnyAsync(m => m.UserId == viewer.UserId));
    }

    [Fact]
    public async Task Removal_is_audited_as_removed_and_the_keys_they_made_stay()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Admin);
        var admin = team.With(OrganizationRole.Admin);
        var key = await app.CreateKeyAsync(admin.Caller, name: "Made by the admin");

        var result = await Members(s => s.RemoveAsync(team.Owner.Caller, admin.UserId));

        Assert.True(result.Succeeded, result.Error?.Message);
        await using var db = app.OpenDatabase();
        var removed = await db.AuditEvents.Where(e => e.OrganizationId == team.OrganizationId).OrderByDescending(e => e.Sequence).FirstAsync();
        Assert.Equal(("member.removed", team.Owner.UserId), (removed.Action, removed.ActorId));
        var changes = JsonDocument.Parse(removed.Changes).RootElement;
        Assert.Equal(admin.UserId, changes.GetProperty("user_id").GetString());
        Assert.Equal("admin", changes.GetProperty("role").GetProperty("before").GetString());
        Assert.Equal(ApiKeyStatus.Active, (await db.ApiKeys.SingleAsync(k => k.Id == key.Key.Id)).Status);
    }

    [Fact]
    public async Task A_removed_person_can_do_nothing_more_in_the_organization()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Admin, OrganizationRole.Developer);
        var admin = team.With(OrganizationRole.Admin);
        await Members(s => s.RemoveAsync(team.Owner.Caller, admin.UserId));

        // Their Caller (an access token issued earlier) still names the organization and the role it had.
        var result = await Members(s => s.ChangeRoleAsync(admin.Caller, team.With(OrganizationRole.Developer).UserId, "viewer"));

        Assert.Equal((ErrorKind.Unauthenticated, "organization_membership_ended"), (result.Error!.Kind, result.Error.Code));
    }

    [Fact]
    public async Task Transfer_makes_the_member_an_owner_and_the_caller_an_admin_and_is_audited()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Developer);
        var developer = team.With(OrganizationRole.Developer);

        var result = await Members(s => s.TransferOwnershipAsync(team.Owner.Caller, developer.UserId));

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(OrganizationRole.Owner, await RoleAsync(team, developer));
        Assert.Equal(OrganizationRole.Admin, await RoleAsync(team, team.Owner));
        await using var db = app.OpenDatabase();
        var transferred = await db.AuditEvents.Where(e => e.OrganizationId == team.OrganizationId).OrderByDescending(e => e.Sequence).FirstAsync();
        Assert.Equal("organization.ownership_transferred", transferred.Action);
        Assert.Equal(developer.UserId, JsonDocument.Parse(transferred.Changes).RootElement.GetProperty("to_user_id").GetString());
    }

    [Fact]
    public async Task Transfer_to_oneself_or_to_nobody_is_refused()
    {
        var team = await app.CreateTeamAsync();

        var self = await Members(s => s.TransferOwnershipAsync(team.Owner.Caller, team.Owner.UserId));
        var nobody = await Members(s => s.TransferOwnershipAsync(team.Owner.Caller, null));

        Assert.Equal("validation_failed", self.Error!.Code);
        Assert.Equal("validation_failed", nobody.Error!.Code);
        Assert.Equal(OrganizationRole.Owner, await RoleAsync(team, team.Owner));
    }

    [Fact]
    public async Task Update_changes_only_the_fields_sent_and_audits_before_and_after()
    {
        var team = await app.CreateTeamAsync();
        // The two-factor policy is set only by someone with two-factor sign-in on.
        await using (var setup = app.OpenDatabase())
            await setup.Users.Where(u => u.Id == team.Owner.UserId).ExecuteUpdateAsync(u => u.SetProperty(x => x.TwoFactorEnabled, true));

        var result = await Settings(s => s.UpdateAsync(team.Owner.Caller, new UpdateOrganizationCommand
        {
            Name = "  Acme  ",
            MaxLiveKeyLifetimeDays = 30,
            RequireTwoFactorForKeys = true,
        }));

        Assert.True(result.Succeeded, result.Error?.Message);
        var organization = result.Value!.Organization;
        Assert.Equal(("Acme", 30, Organization.DefaultRotationReminderDays, true),
            (organization.Name, organization.MaxLiveKeyLifetimeDays, organization.RotationReminderDays, organization.RequireTwoFactorForKeys));
        await using var db = app.OpenDatabase();
        var updated = await db.AuditEvents.Where(e => e.OrganizationId == team.OrganizationId).OrderByDescending(e => e.Sequence).FirstAsync();
        Assert.Equal("organization.updated", updated.Action);
        var changes = JsonDocument.Parse(updated.Changes).RootElement;
        Assert.Equal((team.Name, "Acme"), (changes.GetProperty("name").GetProperty("before").GetString(), changes.GetProperty("name").GetProperty("after").GetString()));
        Assert.False(changes.TryGetProperty("rotation_reminder_days", out _));
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(3651, null)]
    [InlineData(null, 0)]
    [InlineData(null, 3651)]
    public async Task Policy_days_out_of_range_are_refused(int? lifetime, int? reminder)
    {
        var team = await app.CreateTeamAsync();
        var command = new UpdateOrganizationCommand
        {
            MaxLiveKeyLifetimeDays = lifetime is null ? Optional<int?>.Absent : lifetime,
            RotationReminderDays = reminder is null ? Optional<int>.Absent : reminder.Value,
        };

        var result = await Settings(s => s.UpdateAsync(team.Owner.Caller, command));

        Assert.Equal("validation_failed", result.Error!.Code);
        Assert.Single(result.Error.FieldErrors!.Keys, lifetime is null ? "rotation_reminder_days" : "max_live_key_lifetime_days");
    }

    [Fact]
    public async Task Get_shows_the_plan_and_its_limits_and_the_callers_role()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Viewer);

        var result = await Settings(s => s.GetAsync(team.With(OrganizationRole.Viewer).Caller));

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal((PlanOptions.DefaultPlanName, OrganizationKind.Team, OrganizationRole.Viewer),
            (result.Value!.Organization.Plan, result.Value.Organization.Kind, result.Value.CallerRole));
        Assert.True(result.Value.Plan.MaxActiveKeys > 0);
    }

    [Fact]
    public async Task Deleting_a_team_revokes_its_keys_first_and_then_removes_it()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Admin);
        var key = await app.CreateKeyAsync(team.With(OrganizationRole.Admin).Caller, scopes: [Scopes.ContactsRead]);
        var client = app.CreateClientWithKey(key.Secret);
        await (await client.GetAsync("/api/v1/contacts")).ShouldBeJsonAsync(HttpStatusCode.OK);
        await SetLastOrganizationAsync(team.Owner.UserId, team.OrganizationId);

        var result = await Settings(s => s.DeleteAsync(team.Owner.Caller));

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(1, result.Value);
        // Revoked (so no cache keeps it alive) and gone with its organization.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/contacts")).StatusCode);
        await using var db = app.OpenDatabase();
        Assert.False(await db.Organizations.AnyAsync(o => o.Id == team.OrganizationId));
        Assert.False(await db.OrganizationMembers.AnyAsync(m => m.OrganizationId == team.OrganizationId));
        Assert.False(await db.ApiKeys.AnyAsync(k => k.OrganizationId == team.OrganizationId));
        Assert.Null((await db.Users.SingleAsync(u => u.Id == team.Owner.UserId)).LastOrganizationId);
        // The people remain, each with their personal organization.
        Assert.Equal(2, await db.OrganizationMembers.CountAsync(m => m.UserId == team.Owner.UserId || m.UserId == team.With(OrganizationRole.Admin).UserId));
    }

    [Fact]
    public async Task A_personal_organization_cannot_be_deleted()
    {
        var person = await app.CreateMemberAsync();

        var result = await Settings(s => s.DeleteAsync(person));

        Assert.Equal("personal_organization", result.Error!.Code);
    }

    private Task<OperationResult<MemberView>> Members(Func<MemberService, Task<OperationResult<MemberView>>> action) =>
        app.WithServiceAsync(action);

    private Task<OperationResult<T>> Settings<T>(Func<OrganizationSettingsService, Task<OperationResult<T>>> action) =>
        app.WithServiceAsync(action);

    private async Task<OrganizationRole?> RoleAsync(Team team, TeamMember member)
    {
        await using var db = app.OpenDatabase();
        return await db.OrganizationMembers.Where(m => m.OrganizationId == team.OrganizationId && m.UserId == member.UserId)
            .Select(m => (OrganizationRole?)m.Role).SingleOrDefaultAsync();
    }

    private async Task SetLastOrganizationAsync(string userId, string organizationId)
    {
        await using var db = app.OpenDatabase();
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(x => x.LastOrganizationId, organizationId));
    }
}

using System.Net;
using System.Net.Http.Json;
using Backside.Core.Common;
using Backside.Core.Organizations;
using Backside.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Backside.Tests.Organizations;

/// <summary>
/// What a weaker member could try with the team features: win back rights through a key made before a demotion,
/// flood a mailbox with invitations, take a personal organization from the person it belongs to.
/// </summary>
public class TeamAbuseTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    [Fact]
    public async Task A_demoted_admins_full_access_key_cannot_make_them_admin_again_or_manage_members()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Admin, OrganizationRole.Viewer);
        var admin = team.With(OrganizationRole.Admin);
        var key = await app.CreateKeyAsync(admin.Caller, scopes: null, name: "Admin's own");
        var client = app.CreateClientWithKey(key.Secret);
        // While its creator is an Admin, the key acts as one.
        await (await client.PatchAsJsonAsync($"/api/v1/members/{team.With(OrganizationRole.Viewer).UserId}", new { role = "developer" }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);

        await ChangeRoleAsync(team.Owner, admin.UserId, "viewer");
        var promoteSelf = await client.PatchAsJsonAsync($"/api/v1/members/{admin.UserId}", new { role = "admin" });
        var settings = await client.PatchAsJsonAsync("/api/v1/organization", new { name = "Taken over" });
        var invite = await client.PostAsJsonAsync("/api/v1/invitations", new { email = $"accomplice-{Guid.NewGuid():N}@example.com", role = "admin" });

        Assert.Equal("manage_members", (await promoteSelf.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "insufficient_role")).GetProperty("required_right").GetString());
        Assert.Equal("manage_organization", (await settings.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "insufficient_role")).GetProperty("required_right").GetString());
        await invite.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "insufficient_role");
        await using var db = app.OpenDatabase();
        Assert.Equal(OrganizationRole.Viewer, (await db.OrganizationMembers.SingleAsync(m => m.OrganizationId == team.OrganizationId && m.UserId == admin.UserId)).Role);
        Assert.Equal(team.Name, (await db.Organizations.SingleAsync(o => o.Id == team.OrganizationId)).Name);
    }

    [Fact]
    public async Task A_key_made_by_a_key_answers_to_the_person_who_made_the_first()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Admin, OrganizationRole.Viewer);
        var admin = team.With(OrganizationRole.Admin);
        var parent = await app.CreateKeyAsync(admin.Caller, scopes: null, name: "Parent");
        var child = await (await app.CreateClientWithKey(parent.Secret).PostAsJsonAsync("/api/v1/api-keys", new { name = "Child" }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var childClient = app.CreateClientWithKey(child.GetProperty("key").GetString()!);

        await app.WithServiceAsync<MemberService, OperationResult<MemberView>>(members => members.RemoveAsync(team.Owner.Caller, admin.UserId));
        var response = await childClient.PatchAsJsonAsync($"/api/v1/members/{team.With(OrganizationRole.Viewer).UserId}", new { role = "admin" });

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "insufficient_role");
    }

    [Fact]
    public async Task Revoking_and_inviting_again_cannot_flood_one_address()
    {
        var team = await app.CreateTeamAsync();
        var email = $"flooded-{Guid.NewGuid():N}@example.com";

        for (var sent = 0; sent < InvitationService.MailsPerRecipientPerHour; sent++)
        {
            var created = await app.InviteAsync(team.Owner.Caller, email);
            var revoked = await app.InvitationsAsync(invitations => invitations.RevokeAsync(team.Owner.Caller, created.Invitation.Id));
            Assert.True(revoked.Succeeded, revoked.Error?.Message);
        }
        var again = await app.InvitationsAsync(invitations => invitations.CreateAsync(team.Owner.Caller, email, "developer"));
        var otherTeam = await app.CreateTeamAsync();
        var fromElsewhere = await app.InvitationsAsync(invitations => invitations.CreateAsync(otherTeam.Owner.Caller, email, "developer"));

        Assert.Equal("too_many_invitation_mails", again.Error?.Code);
        Assert.Equal("too_many_invitation_mails", fromElsewhere.Error?.Code);
        app.Time.Advance(TimeSpan.FromHours(1));
        Assert.True((await app.InvitationsAsync(invitations => invitations.CreateAsync(team.Owner.Caller, email, "developer"))).Succeeded);
    }

    [Fact]
    public async Task A_co_owner_cannot_demote_or_remove_the_person_a_personal_organization_belongs_to()
    {
        var founder = await app.CreateMemberAsync();
        var coOwner = await app.JoinAsync(founder, OrganizationRole.Owner);

        var demoted = await app.WithServiceAsync<MemberService, OperationResult<MemberView>>(members => members.ChangeRoleAsync(coOwner, founder.ActorId, "admin"));
        var removed = await app.WithServiceAsync<MemberService, OperationResult<MemberView>>(members => members.RemoveAsync(coOwner, founder.ActorId));

        Assert.Equal("personal_organization", demoted.Error?.Code);
        Assert.Equal("personal_organization", removed.Error?.Code);
        await using var db = app.OpenDatabase();
        Assert.Equal(OrganizationRole.Owner, (await db.OrganizationMembers.SingleAsync(m => m.OrganizationId == founder.OrganizationId && m.UserId == founder.ActorId)).Role);
    }

    private async Task ChangeRoleAsync(TeamMember by, string userId, string role)
    {
        var changed = await app.WithServiceAsync<MemberService, OperationResult<MemberView>>(members => members.ChangeRoleAsync(by.Caller, userId, role));
        Assert.True(changed.Succeeded, changed.Error?.Message);
    }
}

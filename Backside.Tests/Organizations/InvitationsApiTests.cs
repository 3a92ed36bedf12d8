using System.Net;
using System.Net.Http.Json;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Backside.Tests.Organizations.InvitationTestSteps;

namespace Backside.Tests.Organizations;

/// <summary>/api/v1/invitations and POST /api/v1/members, each answer checked against the OpenAPI document.</summary>
public class InvitationsApiTests(InvitationAppFactory app) : IClassFixture<InvitationAppFactory>
{
    [Fact]
    public async Task An_owner_invites_lists_resends_and_revokes_and_the_api_never_shows_the_token()
    {
        var (owner, ownerEmail, client) = await SignedInAsync();
        var email = NewEmail();

        var created = await client.PostAsJsonAsync("/api/v1/invitations", new { email, role = "developer" });
        var body = await created.ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = body.GetProperty("id").GetString()!;
        var token = app.Mail.LastTokenTo(email);
        Assert.Equal($"/api/v1/invitations/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("invitation", body.GetProperty("object").GetString());
        Assert.Equal("developer", body.GetProperty("role").GetString());
        Assert.Equal("pending", body.GetProperty("status").GetString());
        Assert.Equal(ownerEmail, body.GetProperty("invited_by_email").GetString());
        Assert.DoesNotContain(token, body.GetRawText());

        var listed = await (await client.GetAsync("/api/v1/invitations")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(id, Assert.Single(listed.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());

        await (await client.PostAsync($"/api/v1/invitations/{id}/resend", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "resend_too_soon");
        app.Time.Advance(TimeSpan.FromMinutes(2));
        var resent = await (await client.PostAsync($"/api/v1/invitations/{id}/resend", null)).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, app.Mail.To(email).Count);
        Assert.NotEqual(token, app.Mail.LastTokenTo(email));
        Assert.Equal("pending", resent.GetProperty("status").GetString());

        var revoked = await (await client.DeleteAsync($"/api/v1/invitations/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("revoked", revoked.GetProperty("status").GetString());
        await (await client.DeleteAsync($"/api/v1/invitations/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var pending = await (await client.GetAsync("/api/v1/invitations")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Empty(pending.GetProperty("data").EnumerateArray());
        var all = await (await client.GetAsync("/api/v1/invitations?status=all")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("revoked", Assert.Single(all.GetProperty("data").EnumerateArray()).GetProperty("status").GetString());
        Assert.Equal(owner.OrganizationId, (await app.StoredInvitationAsync(id)).OrganizationId);
    }

    [Fact]
    public async Task The_invited_person_accepts_with_an_access_token_once()
    {
        var (owner, _, ownerClient) = await SignedInAsync();
        var (invitee, email, inviteeClient) = await SignedInAsync();
        await (await ownerClient.PostAsJsonAsync("/api/v1/invitations", new { email, role = "viewer" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var token = app.Mail.LastTokenTo(email);

        var accepted = await inviteeClient.PostAsJsonAsync("/api/v1/members", new { token });
        var again = await inviteeClient.PostAsJsonAsync("/api/v1/members", new { token });

        var membership = await accepted.ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal(owner.OrganizationId, membership.GetProperty("organization_id").GetString());
        Assert.Equal(invitee.ActorId, membership.GetProperty("user_id").GetString());
        Assert.Equal("viewer", membership.GetProperty("role").GetString());
        var problem = await again.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invitation_invalid");
        Assert.True(problem.GetProperty("errors").TryGetProperty("token", out _));
        await using var db = app.OpenDatabase();
        Assert.Equal(OrganizationRole.Viewer,
            (await db.OrganizationMembers.SingleAsync(m => m.OrganizationId == owner.OrganizationId && m.UserId == invitee.ActorId)).Role);
    }

    [Fact]
    public async Task Another_account_is_refused_and_an_expired_link_says_so()
    {
        var (owner, _, _) = await SignedInAsync();
        var (_, _, strangerClient) = await SignedInAsync();
        var email = NewEmail();
        await app.CreateMemberAsync(email);
        var created = await app.InviteAsync(owner, email);

        var stranger = await strangerClient.PostAsJsonAsync("/api/v1/members", new { token = created.Token });
        app.Time.Advance(Invitation.Lifetime + TimeSpan.FromSeconds(1));
        var expired = await (await ClientForAsync(email)).PostAsJsonAsync("/api/v1/members", new { token = created.Token });

        var mismatch = await stranger.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "invitation_email_mismatch");
        Assert.DoesNotContain(email, mismatch.GetRawText(), StringComparison.OrdinalIgnoreCase);
        await expired.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invitation_expired");
    }

    [Fact]
    public async Task A_key_cannot_accept_an_invitation()
    {
        var (client, _, owner) = await app.CreateClientWithKeyAsync();
        var created = await app.InviteAsync(owner, NewEmail());

        var response = await client.PostAsJsonAsync("/api/v1/members", new { token = created.Token });

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "user_required");
    }

    [Fact]
    public async Task Keys_invite_only_when_live_and_with_members_write()
    {
        var (live, _, _) = await app.CreateClientWithKeyAsync(scopes: ["members:write"]);
        var (test, _, _) = await app.CreateClientWithKeyAsync(scopes: ["members:write"], environment: "test");
        var (reader, _, _) = await app.CreateClientWithKeyAsync(scopes: ["members:read"]);

        await (await live.PostAsJsonAsync("/api/v1/invitations", new { email = NewEmail(), role = "admin" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var owner = await (await live.PostAsJsonAsync("/api/v1/invitations", new { email = NewEmail(), role = "owner" }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "insufficient_role");
        await (await test.PostAsJsonAsync("/api/v1/invitations", new { email = NewEmail(), role = "viewer" }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "live_key_required");
        await (await reader.PostAsJsonAsync("/api/v1/invitations", new { email = NewEmail(), role = "viewer" }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        await (await reader.GetAsync("/api/v1/invitations")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("manage_owners", owner.GetProperty("required_right").GetString());
    }

    [Fact]
    public async Task A_viewer_can_list_but_not_invite()
    {
        var (_, email, _) = await SignedInAsync();
        await using (var db = app.OpenDatabase())
            await db.Database.ExecuteSqlAsync($"""UPDATE "OrganizationMembers" SET "Role" = 'Viewer' WHERE "UserId" = (SELECT "Id" FROM "AspNetUsers" WHERE "Email" = {email})""");
        var viewer = await ClientForAsync(email);

        await (await viewer.GetAsync("/api/v1/invitations")).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await viewer.PostAsJsonAsync("/api/v1/invitations", new { email = NewEmail(), role = "viewer" }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
    }

    [Fact]
    public async Task Another_organizations_invitation_is_not_found()
    {
        var (owner, _, _) = await SignedInAsync();
        var (_, _, other) = await SignedInAsync();
        var created = await app.InviteAsync(owner, NewEmail());
        app.Time.Advance(TimeSpan.FromMinutes(2));

        await (await other.DeleteAsync($"/api/v1/invitations/{created.Invitation.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "resource_not_found");
        await (await other.PostAsync($"/api/v1/invitations/{created.Invitation.Id}/resend", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "resource_not_found");
        await (await other.DeleteAsync("/api/v1/invitations/nonsense")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "resource_not_found");
        Assert.Null((await app.StoredInvitationAsync(created.Invitation.Id)).RevokedAt);
    }

    [Fact]
    public async Task Bad_bodies_are_validation_errors_naming_the_field()
    {
        var (_, _, client) = await SignedInAsync();

        var badEmail = await client.PostAsJsonAsync("/api/v1/invitations", new { email = "nope", role = "viewer" });
        var badRole = await client.PostAsJsonAsync("/api/v1/invitations", new { email = NewEmail(), role = "root" });
        var badStatus = await client.GetAsync("/api/v1/invitations?status=everything");
        var noToken = await client.PostAsJsonAsync("/api/v1/members", new { });

        Assert.True((await badEmail.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("email", out _));
        Assert.True((await badRole.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("role", out _));
        await badStatus.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await noToken.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invitation_invalid");
    }

    private async Task<(Caller Person, string Email, HttpClient Client)> SignedInAsync()
    {
        var email = NewEmail();
        var person = await app.CreateMemberAsync(email);
        return (person, email, await ClientForAsync(email));
    }

    private async Task<HttpClient> ClientForAsync(string email)
    {
        var tokens = await (await app.LoginAsync(email)).ShouldBeJsonAsync(HttpStatusCode.OK);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", tokens.GetProperty("access_token").GetString());
        return client;
    }
}

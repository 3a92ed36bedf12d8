using Backside.Core.Audit;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Backside.Tests.Organizations.InvitationTestSteps;

namespace Backside.Tests.Organizations;

/// <summary>The invitation rules in Core: who may invite whom, single use, bound to one address, expiry on a moved clock.</summary>
public class InvitationServiceTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    [Fact]
    public async Task An_invitation_stores_only_the_hash_of_its_token_and_expires_in_seven_days()
    {
        var owner = await app.CreateMemberAsync();
        var email = NewEmail();

        var created = await app.InviteAsync(owner, "  " + email + " ", "developer");

        var stored = await app.StoredInvitationAsync(created.Invitation.Id);
        Assert.StartsWith("inv_", stored.Id);
        Assert.Equal(email, stored.Email);
        Assert.Equal(email.ToUpperInvariant(), stored.NormalizedEmail);
        Assert.Equal(OrganizationRole.Developer, stored.Role);
        Assert.Equal(InvitationToken.Length, created.Token.Length);
        Assert.Equal(InvitationToken.Hash(created.Token), stored.TokenHash);
        Assert.Equal(app.Time.GetUtcNow() + TimeSpan.FromDays(7), stored.ExpiresAt);
        Assert.Equal(owner.ActorId, stored.InvitedBy);
        await using var db = app.OpenDatabase();
        var changes = await db.AuditEvents.Where(e => e.OrganizationId == owner.OrganizationId && e.Action == AuditActions.InvitationCreated)
            .Select(e => e.Changes).SingleAsync();
        Assert.Contains(email, changes);
        Assert.DoesNotContain(created.Token, changes);
    }

    [Theory]
    [InlineData(OrganizationRole.Developer)]
    [InlineData(OrganizationRole.Viewer)]
    public async Task A_role_without_manage_members_cannot_invite(OrganizationRole role)
    {
        var owner = await app.CreateMemberAsync();
        var member = await app.JoinAsync(owner, role);

        var result = await app.InvitationsAsync(s => s.CreateAsync(member, NewEmail(), "viewer"));

        Assert.Equal("insufficient_role", result.Error?.Code);
        Assert.Equal("manage_members", result.Error?.RequiredRight);
    }

    [Fact]
    public async Task An_admin_invites_every_role_but_owner_and_an_owner_invites_an_owner()
    {
        var owner = await app.CreateMemberAsync();
        var admin = await app.JoinAsync(owner, OrganizationRole.Admin);

        var asAdmin = await app.InvitationsAsync(s => s.CreateAsync(admin, NewEmail(), "admin"));
        var ownerByAdmin = await app.InvitationsAsync(s => s.CreateAsync(admin, NewEmail(), "owner"));
        var ownerByOwner = await app.InvitationsAsync(s => s.CreateAsync(owner, NewEmail(), "OWNER"));

        Assert.True(asAdmin.Succeeded);
        Assert.Equal("manage_owners", ownerByAdmin.Error?.RequiredRight);
        Assert.Equal(OrganizationRole.Owner, ownerByOwner.Value?.Invitation.Role);
    }

    [Fact]
    public async Task A_member_whose_role_was_lowered_is_refused_at_once()
    {
        var owner = await app.CreateMemberAsync();
        var admin = await app.JoinAsync(owner, OrganizationRole.Admin);
        await using (var db = app.OpenDatabase())
            await db.OrganizationMembers.Where(m => m.UserId == admin.ActorId && m.OrganizationId == owner.OrganizationId)
                .ExecuteUpdateAsync(m => m.SetProperty(x => x.Role, OrganizationRole.Viewer));

        var result = await app.InvitationsAsync(s => s.CreateAsync(admin, NewEmail(), "viewer"));

        Assert.Equal("insufficient_role", result.Error?.Code);
    }

    [Theory]
    [InlineData(null, "developer", "email")]
    [InlineData("not an address", "developer", "email")]
    [InlineData("Ada <ada@example.com>", "developer", "email")]
    [InlineData("a@example.com, b@example.com", "developer", "email")]
    [InlineData("ada@example.com", "member", "role")]
    [InlineData("ada@example.com", "1", "role")]
    [InlineData("ada@example.com", null, "role")]
    public async Task Bad_input_is_a_validation_error_naming_the_field(string? email, string? role, string field)
    {
        var owner = await app.CreateMemberAsync();

        var result = await app.InvitationsAsync(s => s.CreateAsync(owner, email, role));

        Assert.Equal("validation_failed", result.Error?.Code);
        Assert.True(result.Error!.FieldErrors!.ContainsKey(field));
    }

    [Fact]
    public async Task An_address_longer_than_256_characters_is_refused()
    {
        var owner = await app.CreateMemberAsync();

        var result = await app.InvitationsAsync(s => s.CreateAsync(owner, new string('a', 250) + "@example.com", "viewer"));

        Assert.Contains("at most 256", result.Error!.FieldErrors!["email"][0]);
    }

    [Fact]
    public async Task A_member_cannot_be_invited_and_a_pending_address_cannot_be_invited_twice()
    {
        var owner = await app.CreateMemberAsync();
        var memberEmail = NewEmail();
        await app.JoinAsync(owner, OrganizationRole.Viewer, memberEmail);
        var invited = NewEmail();
        await app.InviteAsync(owner, invited);

        var member = await app.InvitationsAsync(s => s.CreateAsync(owner, memberEmail.ToUpperInvariant(), "viewer"));
        var again = await app.InvitationsAsync(s => s.CreateAsync(owner, invited, "admin"));

        Assert.Equal("already_member", member.Error?.Code);
        Assert.Equal("invitation_pending", again.Error?.Code);
    }

    [Fact]
    public async Task An_organization_has_at_most_a_hundred_pending_invitations()
    {
        var owner = await app.CreateMemberAsync();
        await using (var db = app.OpenDatabase())
        {
            var now = app.Time.GetUtcNow();
            for (var i = 0; i < InvitationService.MaxPending; i++)
            {
                var email = NewEmail();
                db.Invitations.Add(new Invitation
                {
                    Id = Backside.Core.Common.EntityId.New("inv", app.Time),
                    OrganizationId = owner.OrganizationId,
                    Email = email,
                    NormalizedEmail = email.ToUpperInvariant(),
                    Role = OrganizationRole.Viewer,
                    TokenHash = InvitationToken.Hash(InvitationToken.Generate()),
                    InvitedBy = owner.ActorId,
                    CreatedAt = now,
                    ExpiresAt = now + Invitation.Lifetime,
                    LastSentAt = now,
                });
            }
            await db.SaveChangesAsync();
        }

        var result = await app.InvitationsAsync(s => s.CreateAsync(owner, NewEmail(), "viewer"));

        Assert.Equal("too_many_invitations", result.Error?.Code);
    }

    [Fact]
    public async Task The_invited_person_accepts_and_becomes_a_member_with_the_role_audited_and_landing_there_next()
    {
        var owner = await app.CreateMemberAsync();
        var email = NewEmail();
        var invitee = await app.CreateMemberAsync(email);
        var created = await app.InviteAsync(owner, email, "admin");

        var accepted = await app.AcceptAsync(invitee, created.Token);

        Assert.True(accepted.Succeeded, accepted.Error?.Message);
        Assert.Equal(new Membership(owner.OrganizationId, accepted.Value.OrganizationName, OrganizationRole.Admin), accepted.Value);
        await using var db = app.OpenDatabase();
        Assert.Equal(OrganizationRole.Admin, (await db.OrganizationMembers.SingleAsync(m => m.OrganizationId == owner.OrganizationId && m.UserId == invitee.ActorId)).Role);
        var stored = await app.StoredInvitationAsync(created.Invitation.Id);
        Assert.Equal(invitee.ActorId, stored.AcceptedBy);
        Assert.NotNull(stored.AcceptedAt);
        Assert.Equal(owner.OrganizationId, (await db.Users.SingleAsync(u => u.Id == invitee.ActorId)).LastOrganizationId);
        var actions = await app.AuditActionsAsync(owner.OrganizationId);
        Assert.Equal([AuditActions.InvitationCreated, AuditActions.InvitationAccepted, AuditActions.MemberAdded], actions.TakeLast(3));
        Assert.True((await app.WithServiceAsync<AuditTrail, Backside.Core.Audit.AuditVerification>(a => a.VerifyAsync(owner.OrganizationId))).IsIntact);
    }

    [Fact]
    public async Task A_link_works_once()
    {
        var owner = await app.CreateMemberAsync();
        var email = NewEmail();
        var invitee = await app.CreateMemberAsync(email);
        var created = await app.InviteAsync(owner, email);
        await app.AcceptAsync(invitee, created.Token);

        var second = await app.AcceptAsync(invitee, created.Token);

        Assert.Equal("invitation_invalid", second.Error?.Code);
    }

    [Fact]
    public async Task Two_accepts_racing_make_one_membership()
    {
        var owner = await app.CreateMemberAsync();
        var email = NewEmail();
        var invitee = await app.CreateMemberAsync(email);
        var created = await app.InviteAsync(owner, email);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => app.AcceptAsync(invitee, created.Token))));

        Assert.Single(results, r => r.Succeeded);
        // A loser that read the invitation before the winner committed finds the person already a member.
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Contains(r.Error!.Code, new[] { "invitation_invalid", "already_member" }));
        await using var db = app.OpenDatabase();
        Assert.Equal(1, await db.OrganizationMembers.CountAsync(m => m.OrganizationId == owner.OrganizationId && m.UserId == invitee.ActorId));
        Assert.Single(await db.AuditEvents.Where(e => e.OrganizationId == owner.OrganizationId && e.Action == AuditActions.MemberAdded).ToListAsync());
    }

    [Fact]
    public async Task Another_account_cannot_accept_and_learns_nothing_of_the_address()
    {
        var owner = await app.CreateMemberAsync();
        var email = NewEmail();
        var stranger = await app.CreateMemberAsync();
        var created = await app.InviteAsync(owner, email);

        var result = await app.AcceptAsync(stranger, created.Token);

        Assert.Equal("invitation_email_mismatch", result.Error?.Code);
        Assert.DoesNotContain(email, result.Error!.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Null((await app.StoredInvitationAsync(created.Invitation.Id)).AcceptedAt);
    }

    [Fact]
    public async Task An_account_with_the_invited_address_unconfirmed_cannot_accept()
    {
        var owner = await app.CreateMemberAsync();
        var email = NewEmail();
        var invitee = await app.CreateMemberAsync(email);
        await using (var db = app.OpenDatabase())
            await db.Users.Where(u => u.Id == invitee.ActorId).ExecuteUpdateAsync(u => u.SetProperty(x => x.EmailConfirmed, false));
        var created = await app.InviteAsync(owner, email);

        var result = await app.AcceptAsync(invitee, created.Token);

        Assert.Equal("invitation_email_mismatch", result.Error?.Code);
    }

    [Fact]
    public async Task An_invitation_expires_after_seven_days()
    {
        var owner = await app.CreateMemberAsync();
        var email = NewEmail();
        var invitee = await app.CreateMemberAsync(email);
        var created = await app.InviteAsync(owner, email);
        app.Time.Advance(Invitation.Lifetime);

        var result = await app.AcceptAsync(invitee, created.Token);
        var listed = await app.InvitationsAsync(s => s.ListAsync(owner));

        Assert.Equal("invitation_expired", result.Error?.Code);
        Assert.DoesNotContain(listed.Value!.Data, i => i.Invitation.Id == created.Invitation.Id);
        // Expired is not pending: the address may be invited afresh.
        Assert.True((await app.InvitationsAsync(s => s.CreateAsync(owner, email, "viewer"))).Succeeded);
    }

    [Fact]
    public async Task A_revoked_invitation_gets_the_same_answer_as_an_unknown_token()
    {
        var owner = await app.CreateMemberAsync();
        var email = NewEmail();
        var invitee = await app.CreateMemberAsync(email);
        var created = await app.InviteAsync(owner, email);

        var revoked = await app.InvitationsAsync(s => s.RevokeAsync(owner, created.Invitation.Id));
        var again = await app.InvitationsAsync(s => s.RevokeAsync(owner, created.Invitation.Id));
        var accepted = await app.AcceptAsync(invitee, created.Token);
        var unknown = await app.AcceptAsync(invitee, InvitationToken.Generate());
        var garbage = await app.AcceptAsync(invitee, "not-a-token");

        Assert.NotNull(revoked.Value?.RevokedAt);
        Assert.Equal(revoked.Value!.RevokedAt, again.Value?.RevokedAt);
        Assert.Equal(1, (await app.AuditActionsAsync(owner.OrganizationId)).Count(a => a == AuditActions.InvitationRevoked));
        Assert.Equal("invitation_invalid", accepted.Error?.Code);
        foreach (var other in (Backside.Core.Common.OperationError[])[unknown.Error!, garbage.Error!])
        {
            Assert.Equal(accepted.Error!.Code, other.Code);
            Assert.Equal(accepted.Error.Message, other.Message);
            Assert.Equal(accepted.Error.FieldErrors!["token"], other.FieldErrors!["token"]);
        }
    }

    [Fact]
    public async Task A_resend_gives_a_new_link_and_the_old_one_dies()
    {
        var owner = await app.CreateMemberAsync();
        var email = NewEmail();
        var invitee = await app.CreateMemberAsync(email);
        var created = await app.InviteAsync(owner, email);

        var tooSoon = await app.InvitationsAsync(s => s.ResendAsync(owner, created.Invitation.Id));
        app.Time.Advance(TimeSpan.FromDays(2));
        var resent = await app.InvitationsAsync(s => s.ResendAsync(owner, created.Invitation.Id));
        var withOld = await app.AcceptAsync(invitee, created.Token);
        var withNew = await app.AcceptAsync(invitee, resent.Value!.Token);

        Assert.Equal("resend_too_soon", tooSoon.Error?.Code);
        Assert.NotEqual(created.Token, resent.Value.Token);
        Assert.Equal(app.Time.GetUtcNow() + Invitation.Lifetime, resent.Value.Invitation.ExpiresAt);
        Assert.Equal(app.Time.GetUtcNow(), resent.Value.Invitation.LastSentAt);
        Assert.Equal("invitation_invalid", withOld.Error?.Code);
        Assert.True(withNew.Succeeded);
        var resendAccepted = await app.InvitationsAsync(s => s.ResendAsync(owner, created.Invitation.Id));
        Assert.Equal("invitation_not_pending", resendAccepted.Error?.Code);
    }

    [Fact]
    public async Task Another_organization_cannot_see_resend_or_revoke_an_invitation()
    {
        var owner = await app.CreateMemberAsync();
        var created = await app.InviteAsync(owner, NewEmail());
        var otherOwner = await app.CreateMemberAsync();
        app.Time.Advance(TimeSpan.FromMinutes(2));

        var revoke = await app.InvitationsAsync(s => s.RevokeAsync(otherOwner, created.Invitation.Id));
        var resend = await app.InvitationsAsync(s => s.ResendAsync(otherOwner, created.Invitation.Id));
        var listed = await app.InvitationsAsync(s => s.ListAsync(otherOwner, includeAll: true));

        Assert.Equal("resource_not_found", revoke.Error?.Code);
        Assert.Equal("resource_not_found", resend.Error?.Code);
        Assert.Empty(listed.Value!.Data);
        Assert.Null((await app.StoredInvitationAsync(created.Invitation.Id)).RevokedAt);
    }

    [Fact]
    public async Task An_admin_cannot_revoke_or_resend_an_owners_invitation()
    {
        var owner = await app.CreateMemberAsync();
        var admin = await app.JoinAsync(owner, OrganizationRole.Admin);
        var created = await app.InviteAsync(owner, NewEmail(), "owner");
        app.Time.Advance(TimeSpan.FromMinutes(2));

        var revoke = await app.InvitationsAsync(s => s.RevokeAsync(admin, created.Invitation.Id));
        var resend = await app.InvitationsAsync(s => s.ResendAsync(admin, created.Invitation.Id));

        Assert.Equal("manage_owners", revoke.Error?.RequiredRight);
        Assert.Equal("manage_owners", resend.Error?.RequiredRight);
    }

    [Fact]
    public async Task The_list_names_who_sent_each_invitation_and_a_viewer_may_read_it()
    {
        var owner = await app.CreateMemberAsync();
        var viewer = await app.JoinAsync(owner, OrganizationRole.Viewer);
        var created = await app.InviteAsync(owner, NewEmail());
        string ownerEmail;
        await using (var db = app.OpenDatabase())
            ownerEmail = (await db.Users.SingleAsync(u => u.Id == owner.ActorId)).Email!;

        var listed = await app.InvitationsAsync(s => s.ListAsync(viewer));

        var item = Assert.Single(listed.Value!.Data);
        Assert.Equal(created.Invitation.Id, item.Invitation.Id);
        Assert.Equal(ownerEmail, item.InvitedByEmail);
    }

    [Fact]
    public async Task A_live_key_with_members_write_invites_as_an_admin_and_a_test_key_may_not()
    {
        var owner = await app.CreateMemberAsync();
        var live = await app.KeyCallerAsync(owner, "live", "members:write");
        var test = await app.KeyCallerAsync(owner, "test", "members:write");
        var readOnly = await app.KeyCallerAsync(owner, "live", "members:read");

        var byLive = await app.InvitationsAsync(s => s.CreateAsync(live, NewEmail(), "admin"));
        var ownerByLive = await app.InvitationsAsync(s => s.CreateAsync(live, NewEmail(), "owner"));
        var byTest = await app.InvitationsAsync(s => s.CreateAsync(test, NewEmail(), "viewer"));
        var byReader = await app.InvitationsAsync(s => s.CreateAsync(readOnly, NewEmail(), "viewer"));

        Assert.True(byLive.Succeeded);
        Assert.Null(await app.InvitationsAsync(s => s.EmailOfAsync(byLive.Value!.Invitation.InvitedBy)));
        Assert.Equal("manage_owners", ownerByLive.Error?.RequiredRight);
        Assert.Equal("live_key_required", byTest.Error?.Code);
        Assert.Equal("insufficient_scope", byReader.Error?.Code);
    }

    [Fact]
    public async Task Registering_through_a_pending_invitation_for_that_address_confirms_it()
    {
        var owner = await app.CreateMemberAsync();
        var email = NewEmail();
        var created = await app.InviteAsync(owner, email);

        var user = await RegisterAsync(email.ToUpperInvariant(), created.Token);

        Assert.True(user.EmailConfirmed);
        Assert.True((await app.AcceptAsync(Caller.ForMember(owner.OrganizationId, OrganizationRole.Viewer, user.Id), created.Token)).Succeeded);
    }

    [Fact]
    public async Task Registering_with_another_address_or_a_dead_token_confirms_nothing()
    {
        var owner = await app.CreateMemberAsync();
        var email = NewEmail();
        var created = await app.InviteAsync(owner, email);
        var revokedEmail = NewEmail();
        var revoked = await app.InviteAsync(owner, revokedEmail);
        await app.InvitationsAsync(s => s.RevokeAsync(owner, revoked.Invitation.Id));

        var other = await RegisterAsync(NewEmail(), created.Token);
        var withRevoked = await RegisterAsync(revokedEmail, revoked.Token);
        var madeUp = await RegisterAsync(NewEmail(), InvitationToken.Generate());

        Assert.False(other.EmailConfirmed);
        Assert.False(withRevoked.EmailConfirmed);
        Assert.False(madeUp.EmailConfirmed);
    }

    private async Task<ApplicationUser> RegisterAsync(string email, string token)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var user = new ApplicationUser { UserName = email, Email = email };
        var result = await scope.ServiceProvider.GetRequiredService<UserRegistration>().RegisterAsync(user, BacksideAppFactory.Password, token);
        Assert.True(result.Succeeded);
        return (await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByIdAsync(user.Id))!;
    }
}

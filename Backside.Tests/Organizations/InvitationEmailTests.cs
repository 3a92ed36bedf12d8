using Backside.Core.Organizations;
using Backside.Tests.Infrastructure;
using Backside.Web.Email;
using Microsoft.EntityFrameworkCore;
using static Backside.Tests.Organizations.InvitationTestSteps;

namespace Backside.Tests.Organizations;

/// <summary>The invitation mail through the real SMTP server, and what its link leads to.</summary>
public class InvitationEmailTests(EmailAppFactory app) : IClassFixture<EmailAppFactory>
{
    [Fact]
    public async Task The_mailed_link_lets_a_newcomer_register_confirmed_and_accept()
    {
        var ownerEmail = NewEmail();
        var owner = await app.CreateMemberAsync(ownerEmail);
        var email = NewEmail();
        var created = await app.InviteAsync(owner, email, "developer");

        var mail = await app.Mail.WaitForMessageAsync(email, m => m.Subject?.StartsWith("You are invited to join", StringComparison.Ordinal) == true);
        Assert.Contains(ownerEmail, mail.TextBody);
        Assert.Contains("as a Developer", mail.TextBody);
        Assert.Contains("7 days", mail.TextBody);
        var accept = EmailAppFactory.OnThisApp(mail.FirstLink());
        Assert.Equal($"/invitations/accept?token={created.Token}", accept);

        var client = app.CreateClient();
        var signedOut = await client.GetStringAsync(accept);
        Assert.Contains("invitation-signed-out", signedOut);
        Assert.Contains("data-testid=\"invitation-role\">Developer</strong>", signedOut);
        var register = "/Account/Register?ReturnUrl=" + Uri.EscapeDataString(accept);
        Assert.Contains($"value=\"{email}\"", await client.GetStringAsync(register));
        var registered = await client.SubmitAsync(register, "register",
            ("Input.Email", email), ("Input.Password", BacksideAppFactory.Password), ("Input.ConfirmPassword", BacksideAppFactory.Password));
        Assert.Equal("/invitations/accept", registered.RequestMessage!.RequestUri!.AbsolutePath);

        var accepted = await client.SubmitAsync(accept, "accept-invitation");

        Assert.Equal("/settings/api-keys", accepted.RequestMessage!.RequestUri!.AbsolutePath);
        await using var db = app.OpenDatabase();
        var user = await db.Users.SingleAsync(u => u.Email == email);
        Assert.True(user.EmailConfirmed);
        Assert.Equal(owner.OrganizationId, user.LastOrganizationId);
        Assert.Equal(OrganizationRole.Developer,
            (await db.OrganizationMembers.SingleAsync(m => m.OrganizationId == owner.OrganizationId && m.UserId == user.Id)).Role);
        Assert.DoesNotContain(app.Mail.MessagesTo(email), m => m.Subject == EmailMessages.ConfirmEmailSubject);
        Assert.DoesNotContain(app.Logs.Entries, e => e.Message.Contains(created.Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Another_signed_in_account_sees_a_masked_address_and_a_sign_out()
    {
        var owner = await app.CreateMemberAsync();
        var email = NewEmail();
        var created = await app.InviteAsync(owner, email);
        var stranger = NewEmail();
        await app.CreateMemberAsync(stranger);
        var client = app.CreateClient();
        await client.SignInAsync(stranger);

        var page = await client.GetStringAsync($"/invitations/accept?token={created.Token}");

        Assert.Contains("invitation-mismatch", page);
        Assert.Contains("i***@example.com", page);
        Assert.DoesNotContain(email, page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("invitation-sign-out", page);
        Assert.DoesNotContain("invitation-accept", page);
    }

    [Fact]
    public async Task A_revoked_link_says_only_that_it_is_not_valid()
    {
        var owner = await app.CreateMemberAsync();
        var created = await app.InviteAsync(owner, NewEmail());
        await app.InvitationsAsync(s => s.RevokeAsync(owner, created.Invitation.Id));

        var page = await app.CreateClient().GetStringAsync($"/invitations/accept?token={created.Token}");

        Assert.Contains("invitation-invalid", page);
        Assert.DoesNotContain("invitation-organization", page);
    }
}

using System.Net;
using Backside.Tests.Infrastructure;
using Backside.Web.Email;

namespace Backside.Tests.Account;

/// <summary>Confirmation and reset links travel by real mail (aiosmtpd), and following the link in the mail works.</summary>
public class EmailFlowTests(EmailAppFactory app) : IClassFixture<EmailAppFactory>
{
    private static string NewEmail() => $"mail-{Guid.NewGuid():N}@example.com";

    [Fact]
    public async Task Registering_mails_a_confirmation_link_that_proves_the_address_and_opens_sign_in()
    {
        var client = app.CreateClient();
        var email = NewEmail();

        var registered = await (await client.RegisterAsync(email)).Content.ReadAsStringAsync();
        Assert.Contains("Please check your email to confirm your account.", registered);
        Assert.DoesNotContain("ConfirmEmail", registered);
        await client.SignInAsync(email);
        Assert.False(await client.IsSignedInAsync());

        var mail = await app.Mail.WaitForMessageAsync(email, m => m.Subject == EmailMessages.ConfirmEmailSubject);
        Assert.Equal("no-reply@backside.test", mail.From.Mailboxes.Single().Address);
        var link = mail.FirstLink();
        Assert.Contains(link, mail.TextBody);
        var confirmed = await client.GetAsync(EmailAppFactory.OnThisApp(link));
        Assert.Contains("Thank you for confirming your email.", await confirmed.Content.ReadAsStringAsync());

        await client.SignInAsync(email);
        Assert.True(await client.IsSignedInAsync());
    }

    [Fact]
    public async Task Forgot_password_mails_a_reset_link_that_sets_the_new_password()
    {
        var email = NewEmail();
        await app.CreateMemberAsync(email);
        var client = app.CreateClient();
        const string newPassword = "a long new passphrase";

        await client.SubmitAsync("/Account/ForgotPassword", "forgot-password", ("Input.Email", email));
        var mail = await app.Mail.WaitForMessageAsync(email, m => m.Subject == EmailMessages.ResetPasswordSubject);
        var resetPage = EmailAppFactory.OnThisApp(mail.FirstLink());
        var reset = await client.SubmitAsync(resetPage, "reset-password",
            ("Input.Email", email), ("Input.Password", newPassword), ("Input.ConfirmPassword", newPassword));

        Assert.Contains("Your password has been reset.", await reset.Content.ReadAsStringAsync());
        await client.SignInAsync(email);
        Assert.False(await client.IsSignedInAsync());
        await client.SignInAsync(email, newPassword);
        Assert.True(await client.IsSignedInAsync());
        var notice = await app.Mail.WaitForMessageAsync(email, m => m.Subject == "Your Backside password was changed");
        Assert.Contains($"{EmailAppFactory.PublicBaseUrl}/settings/audit-log", notice.TextBody);
    }

    [Fact]
    public async Task Forgot_password_for_an_unknown_address_mails_nothing_and_says_the_same()
    {
        var stranger = NewEmail();
        var known = NewEmail();
        await app.CreateMemberAsync(known);
        var client = app.CreateClient();

        var forUnknown = await client.SubmitAsync("/Account/ForgotPassword", "forgot-password", ("Input.Email", stranger));
        var forKnown = await client.SubmitAsync("/Account/ForgotPassword", "forgot-password", ("Input.Email", known));

        Assert.Equal(forKnown.RequestMessage!.RequestUri!.AbsolutePath, forUnknown.RequestMessage!.RequestUri!.AbsolutePath);
        // The known address's mail was queued after the unknown one's would have been: once it is here, nothing else is coming.
        await app.Mail.WaitForMessageAsync(known);
        Assert.Empty(app.Mail.MessagesTo(stranger));
    }

    [Fact]
    public async Task Links_are_built_on_the_public_base_url_and_requests_for_other_hosts_are_refused()
    {
        var client = app.CreateClient();
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/Account/Register");
        forged.Headers.Host = "attacker.example";

        var refused = await client.SendAsync(forged);
        var email = NewEmail();
        await client.RegisterAsync(email);
        var mail = await app.Mail.WaitForMessageAsync(email);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.StartsWith($"{EmailAppFactory.PublicBaseUrl}/Account/ConfirmEmail?", mail.FirstLink());
        Assert.DoesNotContain("localhost", mail.HtmlBody);
    }
}

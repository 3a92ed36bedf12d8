using System.Net;
using Backside.Core.Identity;
using Backside.Tests.Infrastructure;
using Backside.Web.Email;

namespace Backside.Tests.Account;

/// <summary>
/// Registration and resending a confirmation, over real mail: the page answers alike whether the address has an
/// account, the owner hears of attempts, and one recipient gets at most one such mail per five minutes.
/// </summary>
public class AccountMailAbuseTests(EmailAppFactory app) : IClassFixture<EmailAppFactory>
{
    public const string AttemptSubject = "Someone tried to register with your email address";
    private const string Sent = "Verification email sent. Please check your email.";

    private static string NewEmail() => $"abuse-{Guid.NewGuid():N}@example.com";

    [Fact]
    public async Task Registering_an_existing_address_answers_as_a_new_registration_and_mails_its_owner()
    {
        var existing = NewEmail();
        await app.CreateMemberAsync(existing);
        var client = app.CreateClient();

        var forExisting = await client.RegisterAsync(existing, "another long passphrase");
        var forNew = await client.RegisterAsync(NewEmail(), "another long passphrase");

        Assert.Equal(HttpStatusCode.OK, forExisting.StatusCode);
        Assert.Equal(forNew.RequestMessage!.RequestUri!.AbsolutePath, forExisting.RequestMessage!.RequestUri!.AbsolutePath);
        var page = await forExisting.Content.ReadAsStringAsync();
        Assert.Contains("Please check your email to confirm your account.", page);
        Assert.DoesNotContain("already taken", page);
        var notice = await app.Mail.WaitForMessageAsync(existing, m => m.Subject == AttemptSubject);
        Assert.Contains("no new account was made", notice.TextBody);
        // The attempt neither replaced the owner's password nor signed anyone in.
        Assert.False(await client.IsSignedInAsync());
        await client.SignInAsync(existing);
        Assert.True(await client.IsSignedInAsync());
    }

    [Fact]
    public async Task Resending_a_confirmation_to_a_confirmed_account_mails_nothing_and_says_what_it_says_for_anyone()
    {
        var confirmed = NewEmail();
        await app.CreateMemberAsync(confirmed);
        var client = app.CreateClient();

        var forConfirmed = await client.SubmitAsync("/Account/ResendEmailConfirmation", "resend-email-confirmation", ("Input.Email", confirmed));
        var forUnknown = await client.SubmitAsync("/Account/ResendEmailConfirmation", "resend-email-confirmation", ("Input.Email", NewEmail()));

        Assert.Contains(Sent, await forConfirmed.Content.ReadAsStringAsync());
        Assert.Contains(Sent, await forUnknown.Content.ReadAsStringAsync());
        // Mail leaves in order: once a later one has arrived, the resend would have too.
        var sentinel = NewEmail();
        await client.RegisterAsync(sentinel);
        await app.Mail.WaitForMessageAsync(sentinel);
        Assert.Empty(app.Mail.MessagesTo(confirmed));
    }

    [Fact]
    public async Task One_recipient_gets_at_most_one_confirmation_mail_per_five_minutes_however_often_it_is_asked_for()
    {
        var email = NewEmail();
        var client = app.CreateClient();
        await client.RegisterAsync(email);
        await app.Mail.WaitForMessageAsync(email, m => m.Subject == EmailMessages.ConfirmEmailSubject);

        for (var i = 0; i < 3; i++)
        {
            var again = await client.SubmitAsync("/Account/ResendEmailConfirmation", "resend-email-confirmation", ("Input.Email", email));
            Assert.Contains(Sent, await again.Content.ReadAsStringAsync());
        }
        var sentinel = NewEmail();
        await client.RegisterAsync(sentinel);
        await app.Mail.WaitForMessageAsync(sentinel);
        Assert.Single(app.Mail.MessagesTo(email));

        app.Time.Advance(AccountMailCooldown.Interval + TimeSpan.FromSeconds(1));
        await client.SubmitAsync("/Account/ResendEmailConfirmation", "resend-email-confirmation", ("Input.Email", email));
        await WaitUntilAsync(() => app.Mail.MessagesTo(email).Count == 2);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var waited = TimeSpan.Zero; !condition(); waited += TimeSpan.FromMilliseconds(50))
        {
            Assert.True(waited < TimeSpan.FromSeconds(15), "The condition did not hold within 15 seconds.");
            await Task.Delay(50);
        }
    }
}

using System.Globalization;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Tests.Infrastructure;
using MimeKit;

namespace Backside.Tests.Account;

/// <summary>Security changes are mailed to the people they affect, with the time, the IP and a link to the audit log.</summary>
public class SecurityNoticeTests(EmailAppFactory app) : IClassFixture<EmailAppFactory>
{
    private static string NewEmail() => $"notice-{Guid.NewGuid():N}@example.com";

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static void AssertTimeIpAndAuditLog(MimeMessage notice, DateTimeOffset at, string ip)
    {
        Assert.Contains($"When: {Stamp(at)}", notice.TextBody);
        Assert.Contains($"IP address: {ip}", notice.TextBody);
        Assert.Contains($"<a href=\"{EmailAppFactory.PublicBaseUrl}/settings/audit-log\">", notice.HtmlBody);
    }

    [Fact]
    public async Task Turning_on_two_factor_mails_a_notice_with_the_time_the_ip_and_the_audit_log()
    {
        var email = NewEmail();
        await app.CreateMemberAsync(email);
        var client = app.CreateClient();
        await client.SignInAsync(email);
        var at = app.Time.GetUtcNow();

        await client.EnableTwoFactorAsync(at, clientAddress: "203.0.113.7");

        var notice = await app.Mail.WaitForMessageAsync(email, m => m.Subject == "Two-factor authentication was turned on");
        AssertTimeIpAndAuditLog(notice, at, "203.0.113.7");
    }

    [Fact]
    public async Task Turning_off_two_factor_and_changing_the_password_each_mail_a_notice()
    {
        var email = NewEmail();
        await app.CreateMemberAsync(email);
        var enrolling = app.CreateClient();
        await enrolling.SignInAsync(email);
        var at = app.Time.GetUtcNow();
        var secret = await enrolling.EnableTwoFactorAsync(at);
        // Fresh sign-ins for each step, so the test holds whether or not a security change ends the sessions before it.
        var client = app.CreateClient();
        await client.SignInWithCodeAsync(email, TotpVerifierCode(secret, at.AddSeconds(30)));

        await client.SubmitAsync("/Account/Manage/Disable2fa", "disable-2fa", "198.51.100.20");
        client = app.CreateClient();
        await client.SignInAsync(email);
        var changed = await client.SubmitAsync("/Account/Manage/ChangePassword", "change-password", "198.51.100.21",
            ("Input.OldPassword", BacksideAppFactory.Password), ("Input.NewPassword", "twelve chars"), ("Input.ConfirmPassword", "twelve chars"));

        Assert.Contains("Your password has been changed", await changed.Content.ReadAsStringAsync());
        AssertTimeIpAndAuditLog(await app.Mail.WaitForMessageAsync(email, m => m.Subject == "Two-factor authentication was turned off"), at, "198.51.100.20");
        AssertTimeIpAndAuditLog(await app.Mail.WaitForMessageAsync(email, m => m.Subject == "Your Backside password was changed"), at, "198.51.100.21");
    }

    private static string TotpVerifierCode(string secret, DateTimeOffset at) => TotpVerifier.Compute(secret, at);

    [Fact]
    public async Task A_new_live_key_is_mailed_to_the_organization_s_owners_and_a_test_key_to_no_one()
    {
        var ownerEmail = NewEmail();
        var owner = await app.CreateMemberAsync(ownerEmail);
        var adminEmail = NewEmail();
        var admin = await app.CreateMemberAsync(adminEmail);
        await using (var db = app.OpenDatabase())
        {
            db.OrganizationMembers.Add(new OrganizationMember
            {
                OrganizationId = owner.OrganizationId,
                UserId = admin.ActorId,
                Role = OrganizationRole.Admin,
                CreatedAt = app.Time.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        }
        var from = owner with { Client = new ClientInfo("192.0.2.44", "tests") };
        var at = app.Time.GetUtcNow();

        await app.CreateKeyAsync(from, environment: "test", name: "Sandbox key");
        var live = await app.CreateKeyAsync(from, environment: "live", name: "Production billing");

        var notice = await app.Mail.WaitForMessageAsync(ownerEmail, m => m.Subject == "A new live API key was created");
        Assert.Contains("\"Production billing\"", notice.TextBody);
        Assert.Contains(live.Key.Hint, notice.TextBody);
        Assert.DoesNotContain(live.Secret, notice.TextBody + notice.HtmlBody);
        AssertTimeIpAndAuditLog(notice, at, "192.0.2.44");
        // Mail goes out in the order it was asked for: once a later notice has arrived, no earlier one is still coming.
        var laterEmail = NewEmail();
        await app.CreateKeyAsync(await app.CreateMemberAsync(laterEmail), environment: "live");
        await app.Mail.WaitForMessageAsync(laterEmail);
        Assert.Single(app.Mail.MessagesTo(ownerEmail));
        Assert.Empty(app.Mail.MessagesTo(adminEmail));
    }
}

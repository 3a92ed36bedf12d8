using System.Globalization;
using System.Net;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Web.Hosting;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Backside.Web.Email;

/// <summary>The words of every mail Backside sends, as plain text and HTML, from <c>Email:Smtp:From</c>.</summary>
public sealed class EmailMessages(IOptions<SmtpOptions> smtp, PublicLinks links, TimeProvider time)
{
    public const string ConfirmEmailSubject = "Confirm your email for Backside";
    public const string ResetPasswordSubject = "Reset your Backside password";

    /// <param name="link">HTML-encoded, as Identity's callers of <c>IEmailSender</c> pass it.</param>
    public MimeMessage ConfirmEmail(string to, string link) => Compose(to, ConfirmEmailSubject, time.GetUtcNow(),
        [
            new("Confirm that this address belongs to your Backside account:"),
            Paragraph.Link("Confirm your email", WebUtility.HtmlDecode(link)),
            new("If you did not ask for this, ignore this email; nothing changes until the link is followed."),
        ]);

    /// <param name="link">HTML-encoded, as Identity's callers of <c>IEmailSender</c> pass it.</param>
    public MimeMessage ResetPassword(string to, string link) => Compose(to, ResetPasswordSubject, time.GetUtcNow(),
        [
            new("Someone asked to reset the password of your Backside account. To choose a new password:"),
            Paragraph.Link("Reset your password", WebUtility.HtmlDecode(link)),
            new("If it was not you, ignore this email: your password stays as it is."),
        ]);

    public MimeMessage ResetCode(string to, string code) => Compose(to, ResetPasswordSubject, time.GetUtcNow(),
        [
            new($"Your password reset code is {code}."),
            new("If you did not ask to reset your password, ignore this email: your password stays as it is."),
        ]);

    /// <summary>The accept page's path; the token goes in its query.</summary>
    public const string AcceptInvitationPath = "invitations/accept";

    public static string InvitationSubject(string organizationName) => $"You are invited to join {organizationName} on Backside";

    /// <summary>Who invited whom to which organization as which role, and the link (valid until the invitation expires).</summary>
    public MimeMessage Invitation(InvitationMail mail)
    {
        var who = mail.InvitedByEmail ?? "An administrator";
        var role = mail.Role.ToString();
        var days = Math.Max(1, (int)Math.Round((mail.ExpiresAt - time.GetUtcNow()).TotalDays));
        return Compose(mail.To, InvitationSubject(mail.OrganizationName), time.GetUtcNow(),
        [
            new($"{who} invited you to join the organization \"{mail.OrganizationName}\" on Backside as {(role.StartsWith('A') || role.StartsWith('O') ? "an" : "a")} {role}."),
            Paragraph.Link("Accept the invitation", links.To(AcceptInvitationPath, [new("token", mail.Token)])),
            new($"The link works once, for this address only, and for {days} day{(days == 1 ? "" : "s")} " +
                $"(until {mail.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}). " +
                "Without a Backside account yet, register with this address from the link."),
            new("If you do not know the organization or the sender, ignore this email; nothing happens unless the link is followed."),
        ]);
    }

    public MimeMessage SecurityNotice(string to, SecurityNotice notice, DateTimeOffset occurredAt)
    {
        var (subject, what, ifNotYou) = notice.Kind switch
        {
            SecurityNoticeKind.TwoFactorEnabled => ("Two-factor authentication was turned on",
                "Two-factor authentication was turned on for your Backside account.",
                "If this was not you, reset your password at once"),
            SecurityNoticeKind.TwoFactorDisabled => ("Two-factor authentication was turned off",
                "Two-factor authentication was turned off for your Backside account: signing in now needs only the password.",
                "If this was not you, reset your password at once and turn two-factor authentication back on"),
            SecurityNoticeKind.PasswordChanged => ("Your Backside password was changed",
                "The password of your Backside account was changed.",
                "If this was not you, reset your password at once"),
            SecurityNoticeKind.LiveApiKeyCreated => ("A new live API key was created",
                $"A live API key named \"{notice.ApiKeyName}\" ({notice.ApiKeyHint}) was created in your organization. Live keys work on live data.",
                "If you do not recognise it, revoke it in Settings > API Keys"),
            SecurityNoticeKind.RegistrationAttempted => ("Someone tried to register with your email address",
                "Someone tried to create a new Backside account with this email address. Your address already has an account, so no new account was made and yours is unchanged.",
                "If it was you and you forgot your password, reset it here"),
            _ => throw new ArgumentOutOfRangeException(nameof(notice), notice.Kind, "Unknown security notice."),
        };
        var remedy = notice.Kind == SecurityNoticeKind.LiveApiKeyCreated ? PublicLinks.ApiKeysPath : PublicLinks.ForgotPasswordPath;
        // A registration attempt changed nothing in any organization: there is nothing in the audit log to review.
        Paragraph[] auditLog = notice.Kind == SecurityNoticeKind.RegistrationAttempted
            ? []
            : [Paragraph.Link("Review your organization's changes in Settings > Audit log", links.To(PublicLinks.AuditLogPath))];
        return Compose(to, subject, occurredAt,
        [
            new(what),
            new($"When: {occurredAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)}"),
            new($"IP address: {notice.IpAddress ?? "unknown"}"),
            .. auditLog,
            Paragraph.Link(ifNotYou, links.To(remedy)),
        ]);
    }

    private MimeMessage Compose(string to, string subject, DateTimeOffset date, IReadOnlyList<Paragraph> paragraphs)
    {
        var message = new MimeMessage { Subject = subject, Date = date };
        message.From.Add(MailboxAddress.Parse(smtp.Value.From!));
        message.To.Add(MailboxAddress.Parse(to));
        var body = new BodyBuilder
        {
            TextBody = string.Join("\n\n", paragraphs.Select(p => p.Url is null ? p.Text : $"{p.Text}: {p.Url}")) + "\n\n-- \nBackside\n",
            HtmlBody = "<!DOCTYPE html><html><body style=\"font-family: sans-serif; line-height: 1.5\">"
                + string.Concat(paragraphs.Select(p => p.Url is null
                    ? $"<p>{WebUtility.HtmlEncode(p.Text)}</p>"
                    : $"<p><a href=\"{WebUtility.HtmlEncode(p.Url)}\">{WebUtility.HtmlEncode(p.Text)}</a></p>"))
                + "<p style=\"color: #666\">Backside</p></body></html>",
        };
        message.Body = body.ToMessageBody();
        return message;
    }

    /// <summary>A line of text, or a link: its words and where it points.</summary>
    private sealed record Paragraph(string Text, string? Url = null)
    {
        public static Paragraph Link(string text, string url) => new(text, url);
    }
}

using Backside.Core.Identity;
using Backside.Core.Organizations;

namespace Backside.Web.Email;

/// <summary>
/// Mail waiting in the <see cref="EmailOutbox"/>. It is composed when it is sent, off the request path: a notice's
/// recipients are looked up then, and nothing that can fail runs in the request that asked for it.
/// </summary>
public abstract record PendingEmail
{
    private PendingEmail()
    {
    }

    /// <summary>What the mail is about, for the log: never an address, a link or a token.</summary>
    public abstract string Description { get; }

    /// <param name="Link">HTML-encoded, as Identity passes it to <c>IEmailSender</c>.</param>
    public sealed record ConfirmationLink(string To, string Link) : PendingEmail
    {
        public override string Description => "email confirmation";
    }

    /// <param name="Link">HTML-encoded, as Identity passes it to <c>IEmailSender</c>.</param>
    public sealed record PasswordResetLink(string To, string Link) : PendingEmail
    {
        public override string Description => "password reset link";
    }

    public sealed record PasswordResetCode(string To, string Code) : PendingEmail
    {
        public override string Description => "password reset code";
    }

    /// <summary>An invitation to an organization; the token is in <see cref="InvitationMail"/> and only there.</summary>
    public sealed record InvitationLink(InvitationMail Mail) : PendingEmail
    {
        public override string Description => "invitation";
    }

    public sealed record NoticeToUser(string UserId, SecurityNotice Notice, DateTimeOffset OccurredAt) : PendingEmail
    {
        public override string Description => $"{Notice.Kind} notice";
    }

    public sealed record NoticeToOwners(string OrganizationId, SecurityNotice Notice, DateTimeOffset OccurredAt) : PendingEmail
    {
        public override string Description => $"{Notice.Kind} notice";
    }
}

namespace Backside.Core.Organizations;

/// <summary>The mailer of a host that cannot send mail (no SMTP configured, tools, tests): invitations are not mailed.</summary>
public sealed class SilentInvitationMailer : IInvitationMailer
{
    public void Send(InvitationMail mail)
    {
    }
}

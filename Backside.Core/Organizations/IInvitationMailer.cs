namespace Backside.Core.Organizations;

/// <summary>
/// Sends the invitation mail with its link (by email, when the host has it). Returns at once and never throws: the
/// invitation is saved whether or not the mail can go, and a resend sends it again.
/// </summary>
public interface IInvitationMailer
{
    void Send(InvitationMail mail);
}

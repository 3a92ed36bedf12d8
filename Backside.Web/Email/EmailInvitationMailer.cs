using Backside.Core.Organizations;

namespace Backside.Web.Email;

/// <summary>Invitation mail by email: queued, and sent by <see cref="EmailDeliveryService"/> off the request path.</summary>
public sealed class EmailInvitationMailer(EmailOutbox outbox) : IInvitationMailer
{
    public void Send(InvitationMail mail) => outbox.Enqueue(new PendingEmail.InvitationLink(mail));
}

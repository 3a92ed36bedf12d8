using Backside.Core.Identity;

namespace Backside.Web.Email;

/// <summary>Security notices by email: stamped with the time now, queued, and sent by <see cref="EmailDeliveryService"/>.</summary>
public sealed class EmailSecurityNotifier(EmailOutbox outbox, TimeProvider time) : ISecurityNotifier
{
    public void NotifyUser(string userId, SecurityNotice notice) =>
        outbox.Enqueue(new PendingEmail.NoticeToUser(userId, notice, time.GetUtcNow()));

    public void NotifyOwners(string organizationId, SecurityNotice notice) =>
        outbox.Enqueue(new PendingEmail.NoticeToOwners(organizationId, notice, time.GetUtcNow()));
}

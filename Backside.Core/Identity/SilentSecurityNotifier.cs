namespace Backside.Core.Identity;

/// <summary>The notifier of a host that cannot send mail (no SMTP configured, tools, tests): notices go nowhere.</summary>
public sealed class SilentSecurityNotifier : ISecurityNotifier
{
    public void NotifyUser(string userId, SecurityNotice notice)
    {
    }

    public void NotifyOwners(string organizationId, SecurityNotice notice)
    {
    }
}

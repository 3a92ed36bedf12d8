namespace Backside.Core.Identity;

/// <summary>
/// Tells people about security changes to their account or organization (by email, when the host has it). Both
/// calls return at once and never throw: a notice that cannot be delivered must not fail the change it reports.
/// </summary>
public interface ISecurityNotifier
{
    /// <summary>Tells the account holder, at their confirmed email address.</summary>
    void NotifyUser(string userId, SecurityNotice notice);

    /// <summary>Tells every Owner of the organization, at their confirmed email addresses.</summary>
    void NotifyOwners(string organizationId, SecurityNotice notice);
}

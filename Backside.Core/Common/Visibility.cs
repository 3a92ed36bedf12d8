using Backside.Core.ApiKeys;
using Backside.Core.Audit;
using Backside.Core.Contacts;
using Backside.Core.Identity;
using Backside.Core.Payments;
using Backside.Core.Usage;

namespace Backside.Core.Common;

/// <summary>
/// What a caller may see, one filter per entity, so a new query cannot forget the organization or the mode.
/// The rule: only the caller's organization. A key additionally sees only its own mode (a test key never sees live
/// keys or live audit events); people and paying wallets see both modes of keys and events. Business data (contacts)
/// belongs to one mode, so every caller sees only the mode it acts in. Usage buckets and payments carry no mode:
/// the organization is their whole filter (usage reaches a mode through its key).
/// </summary>
public static class Visibility
{
    public static IQueryable<ApiKey> VisibleTo(this IQueryable<ApiKey> keys, Caller caller) =>
        caller.IsApiKey
            ? keys.Where(k => k.OrganizationId == caller.OrganizationId && k.Livemode == caller.Livemode)
            : keys.Where(k => k.OrganizationId == caller.OrganizationId);

    public static IQueryable<AuditEvent> VisibleTo(this IQueryable<AuditEvent> events, Caller caller) =>
        caller.IsApiKey
            ? events.Where(e => e.OrganizationId == caller.OrganizationId && e.Livemode == caller.Livemode)
            : events.Where(e => e.OrganizationId == caller.OrganizationId);

    public static IQueryable<Contact> VisibleTo(this IQueryable<Contact> contacts, Caller caller) =>
        contacts.Where(c => c.OrganizationId == caller.OrganizationId && c.Livemode == caller.Livemode);

    public static IQueryable<UsageBucket> VisibleTo(this IQueryable<UsageBucket> buckets, Caller caller) =>
        buckets.Where(b => b.OrganizationId == caller.OrganizationId);

    public static IQueryable<Payment> VisibleTo(this IQueryable<Payment> payments, Caller caller) =>
        payments.Where(p => p.OrganizationId == caller.OrganizationId);
}

using Backside.Core.Common;

namespace Backside.Core.Audit;

/// <summary>
/// The readable names of the ids on one page of the audit log, resolved together (one query for people, one for keys,
/// however long the page) and only within the reader's organization.
/// </summary>
public sealed class AuditNames(IReadOnlyDictionary<string, AuditName> names)
{
    public static AuditNames Empty { get; } = new(new Dictionary<string, AuditName>());

    /// <summary>The event's actor.</summary>
    public AuditName ActorOf(AuditEvent e) =>
        e.ActorType == AuditActorTypes.Wallet ? new AuditName(e.ActorId, AuditNameKind.Wallet) : Of(e.ActorId);

    /// <summary>The key the event is about, if any.</summary>
    public AuditName? KeyOf(AuditEvent e) => e.ApiKeyId is { } id ? Of(id) : null;

    /// <summary>A person's or key's name; an id the page did not resolve reads as what its shape says.</summary>
    public AuditName Of(string id) =>
        names.TryGetValue(id, out var name) ? name
        : EntityId.HasShape(id, EntityId.ApiKeyPrefix) ? new AuditName(id, AuditNameKind.UnknownApiKey)
        : EntityId.HasShape(id, EntityId.UserPrefix) ? new AuditName(id, AuditNameKind.DeletedAccount)
        : new AuditName(id, AuditNameKind.Wallet);
}

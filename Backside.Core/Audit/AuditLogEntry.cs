namespace Backside.Core.Audit;

/// <summary>One event with the names of the people and keys it mentions, as the audit log page and export show it.</summary>
public sealed record AuditLogEntry(AuditEvent Event, AuditNames Names)
{
    public AuditName Actor => Names.ActorOf(Event);

    public AuditName? Key => Names.KeyOf(Event);
}

namespace Backside.Core.Audit;

/// <summary>One page of the audit log, newest first, and how many events the filter selects in all.</summary>
public sealed record AuditEventPage(IReadOnlyList<AuditLogEntry> Items, int Total);

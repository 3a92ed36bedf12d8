namespace Backside.Core.Audit;

/// <summary>
/// The rows an export selected, newest first and at most <see cref="MaxRows"/>, read a batch at a time while
/// <see cref="Rows"/> is enumerated (within the scope of the <see cref="AuditLog"/> that made it).
/// </summary>
public sealed record AuditLogExport(IAsyncEnumerable<AuditLogEntry> Rows, int MaxRows);

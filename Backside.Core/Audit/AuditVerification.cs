namespace Backside.Core.Audit;

/// <summary>
/// What a verification of an organization's chain found: the first broken link, if any, and how many events are old
/// enough to carry a plain SHA-256 hash instead of an HMAC (written before keyed hashes; they can only form the start).
/// </summary>
public sealed record AuditVerification(long EventsChecked, long? BrokenAtSequence, string? BrokenEventId, string? Problem, long UnkeyedEvents = 0)
{
    public bool IsIntact => BrokenAtSequence is null;
}

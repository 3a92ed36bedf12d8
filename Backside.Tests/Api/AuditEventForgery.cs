using Backside.Core.Audit;

namespace Backside.Tests.Api;

/// <summary>Copies of an event with some stored fields changed, as someone editing the table by hand would write them.</summary>
internal static class AuditEventForgery
{
    public static AuditEvent Rewritten(this AuditEvent e, string changes, byte[] previousHash, AuditHashAlgorithm algorithm) => new()
    {
        Id = e.Id,
        OrganizationId = e.OrganizationId,
        Sequence = e.Sequence,
        Action = e.Action,
        ActorType = e.ActorType,
        ActorId = e.ActorId,
        ApiKeyId = e.ApiKeyId,
        Livemode = e.Livemode,
        IpAddress = e.IpAddress,
        UserAgent = e.UserAgent,
        OccurredAt = e.OccurredAt,
        Changes = changes,
        PreviousHash = previousHash,
        HashAlgorithm = algorithm,
    };

    public static AuditEvent WithAlgorithm(this AuditEvent e, AuditHashAlgorithm algorithm) => e.Rewritten(e.Changes, e.PreviousHash, algorithm);
}

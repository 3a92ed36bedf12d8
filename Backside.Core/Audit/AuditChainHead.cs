namespace Backside.Core.Audit;

/// <summary>
/// The newest link of one organization's audit chain, written in the same transaction as that event. Deleting the
/// newest events leaves the head naming an event that is gone; <see cref="Sequence"/> is a concurrency token, so
/// two writers extending the chain from the same link cannot both commit.
/// </summary>
public sealed class AuditChainHead
{
    public required string OrganizationId { get; init; }

    /// <summary>The newest event's sequence; compared on every update (optimistic concurrency).</summary>
    public long Sequence { get; set; }

    /// <summary>The newest event's hash.</summary>
    public byte[] Hash { get; set; } = [];

    /// <summary>HMAC of the organization, sequence and hash under the audit key, so the head cannot be moved back by hand.</summary>
    public byte[] Seal { get; set; } = [];
}

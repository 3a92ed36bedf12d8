using Backside.Core.Common;

namespace Backside.Core.Audit;

/// <summary>
/// One change to a key, written in the same transaction as the change. Events are hash-chained per organization:
/// each stores the previous event's hash and an HMAC of its own content under the server's audit key, so editing or
/// deleting a row breaks the chain, and a rewritten chain cannot be recomputed without the key.
/// </summary>
public sealed class AuditEvent : IHasEntityId
{
    public required string Id { get; init; }
    public required string OrganizationId { get; init; }

    /// <summary>1, 2, 3… within the organization; unique, so two writers can never extend the chain from the same link.</summary>
    public long Sequence { get; init; }

    /// <summary><c>api_key.created</c>, <c>api_key.updated</c>, <c>api_key.rotated</c>, …</summary>
    public required string Action { get; init; }

    public required string ActorType { get; init; }
    public required string ActorId { get; init; }
    public string? ApiKeyId { get; init; }

    /// <summary>The mode of the key the event is about, so test keys read only test events.</summary>
    public bool Livemode { get; init; }

    public string? IpAddress { get; init; }
    public string? UserAgent { get; init; }
    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>JSON object: field name → <c>{"before": …, "after": …}</c>. Never a secret.</summary>
    public required string Changes { get; init; }

    public required byte[] PreviousHash { get; init; }

    /// <summary>How <see cref="Hash"/> was made: HMAC-SHA256 for every event written now, SHA-256 for older ones.</summary>
    public AuditHashAlgorithm HashAlgorithm { get; init; }

    /// <summary>HMAC (or, for old events, SHA-256) of <see cref="PreviousHash"/> and this event's content; set by <see cref="AuditTrail"/>.</summary>
    public byte[] Hash { get; internal set; } = [];
}

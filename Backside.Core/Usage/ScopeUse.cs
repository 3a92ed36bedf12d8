namespace Backside.Core.Usage;

/// <summary>The last time a key exercised a scope: the evidence for suggesting narrower keys.</summary>
public sealed class ScopeUse
{
    public required string ApiKeyId { get; init; }
    public required string Scope { get; init; }
    public DateTimeOffset LastSeenAt { get; set; }
}

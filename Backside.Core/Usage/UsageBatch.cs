namespace Backside.Core.Usage;

/// <summary>What one flush takes out of the tracker.</summary>
public sealed record UsageBatch(
    IReadOnlyList<KeyValuePair<string, KeyUse>> LastUses,
    IReadOnlyList<(string ApiKeyId, string OrganizationId, DateTimeOffset HourStart, UsageCounts Counts)> Buckets,
    IReadOnlyList<(string ApiKeyId, string Scope, DateTimeOffset At)> Scopes)
{
    public bool IsEmpty => LastUses.Count == 0 && Buckets.Count == 0 && Scopes.Count == 0;
}

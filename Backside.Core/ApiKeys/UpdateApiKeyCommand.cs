using Backside.Core.Common;

namespace Backside.Core.ApiKeys;

/// <summary>Change some of a key's settings; absent fields stay as they are, null clears a nullable one.</summary>
public sealed record UpdateApiKeyCommand
{
    public Optional<string?> Name { get; init; }
    public Optional<IReadOnlyList<string>?> Scopes { get; init; }
    public Optional<int?> RateLimitPerMinute { get; init; }
    public Optional<DateTimeOffset?> ExpiresAt { get; init; }
    public Optional<IReadOnlyList<string>?> AllowedIps { get; init; }
    public Optional<IReadOnlyList<string>?> AllowedReferrers { get; init; }
}

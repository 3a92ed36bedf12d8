namespace Backside.Core.ApiKeys;

/// <summary>
/// Tells the other instances that the credentials cached under these cache keys changed (the keys hold secret
/// hashes, never a secret). Called after the change committed and this instance forgot them itself.
/// </summary>
public interface IApiKeyChangeAnnouncer
{
    /// <summary>Never throws for an unreachable channel: the announcement is kept and sent once it is back.</summary>
    Task AnnounceAsync(IReadOnlyList<string> cacheKeys, CancellationToken ct);
}

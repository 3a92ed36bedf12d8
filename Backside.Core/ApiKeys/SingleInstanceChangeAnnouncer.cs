namespace Backside.Core.ApiKeys;

/// <summary>Without a shared cache there is no other instance to tell.</summary>
public sealed class SingleInstanceChangeAnnouncer : IApiKeyChangeAnnouncer
{
    public Task AnnounceAsync(IReadOnlyList<string> cacheKeys, CancellationToken ct) => Task.CompletedTask;
}

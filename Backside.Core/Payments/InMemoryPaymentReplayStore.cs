namespace Backside.Core.Payments;

/// <summary>For a verifier on its own (the test vectors, the benchmark): one process, no persistence.</summary>
public sealed class InMemoryPaymentReplayStore : IPaymentReplayStore
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> keys = new(StringComparer.Ordinal);

    public Task<bool> TryReserveAsync(string key, DateTimeOffset keepUntil, CancellationToken ct) =>
        Task.FromResult(keys.TryAdd(key, keepUntil));

    public Task ReleaseAsync(string key, CancellationToken ct)
    {
        keys.TryRemove(key, out _);
        return Task.CompletedTask;
    }
}

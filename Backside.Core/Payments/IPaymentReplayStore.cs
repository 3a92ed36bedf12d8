namespace Backside.Core.Payments;

/// <summary>
/// Remembers accepted authorizations so each is used once. The production store is the database (a unique index),
/// shared by every instance and kept across restarts.
/// </summary>
public interface IPaymentReplayStore
{
    /// <summary>Records <paramref name="key"/> atomically; false when it was already there.</summary>
    Task<bool> TryReserveAsync(string key, DateTimeOffset keepUntil, CancellationToken ct);

    /// <summary>Forgets a reservation whose request ended before settlement was attempted, so the client may retry.</summary>
    Task ReleaseAsync(string key, CancellationToken ct);
}

namespace Backside.Core.Audit;

/// <summary>
/// The server secret audit hashes are keyed with. The host supplies it (configuration, or generated once and kept
/// encrypted), so Core needs no knowledge of where secrets live.
/// </summary>
public interface IAuditHmacKey
{
    /// <summary>At least 32 bytes; the same on every instance and across restarts, or every chain stops verifying.</summary>
    ReadOnlySpan<byte> Key { get; }
}

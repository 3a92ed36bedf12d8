namespace Backside.Core.Audit;

/// <summary>An audit key the host already holds, such as a throw-away one for a tool or test database.</summary>
public sealed class FixedAuditHmacKey(byte[] key) : IAuditHmacKey
{
    private readonly byte[] key = key.Length >= 32 ? key.ToArray() : throw new ArgumentException("An audit key needs at least 32 bytes.", nameof(key));

    public ReadOnlySpan<byte> Key => key;
}

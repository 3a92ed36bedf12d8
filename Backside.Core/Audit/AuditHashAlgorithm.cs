namespace Backside.Core.Audit;

/// <summary>How an event's hash was made; stored with the event because chains written before keyed hashes remain.</summary>
public enum AuditHashAlgorithm
{
    /// <summary>
    /// Plain SHA-256, as every event was hashed before keyed hashes. The migration that added the column gives existing
    /// events this value (0); nothing writes it any more, and it may only precede <see cref="HmacSha256"/> in a chain.
    /// </summary>
    Sha256 = 0,

    /// <summary>HMAC-SHA256 under the server's audit key: recomputing a rewritten chain needs the key.</summary>
    HmacSha256 = 1,
}

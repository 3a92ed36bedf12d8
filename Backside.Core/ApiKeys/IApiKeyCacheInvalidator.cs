namespace Backside.Core.ApiKeys;

/// <summary>Removes cached credentials when a key changes, so the change holds from the very next request.</summary>
public interface IApiKeyCacheInvalidator
{
    /// <summary>
    /// Forgets the credentials cached under these secret hashes. Other instances are told through the same seam once a
    /// shared cache is configured.
    /// </summary>
    Task InvalidateAsync(IEnumerable<byte[]?> secretHashes, CancellationToken ct);
}

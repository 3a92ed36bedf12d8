using System.Net;

namespace Backside.Core.ApiKeys;

/// <summary>
/// Finds a key by the SHA-256 of its secret, for a request from <c>client</c>. The seam where a cache goes in front
/// of the database. A <see cref="ValueTask{TResult}"/> because nearly every call is a cache hit that completes at once.
/// </summary>
public interface IApiKeyCredentialStore
{
    ValueTask<ApiKeyLookup> FindBySecretHashAsync(byte[] secretHash, IPAddress? client, CancellationToken ct);
}

using Microsoft.Kiota.Abstractions.Authentication;

namespace Backside.Client;

/// <summary>Hands Kiota's bearer provider the API key, which goes out as <c>Authorization: Bearer bsk_…</c>.</summary>
internal sealed class ApiKeyTokenProvider(string apiKey) : IAccessTokenProvider
{
    /// <summary>Every host: the caller chose the base URL, and the key is meant for it.</summary>
    public AllowedHostsValidator AllowedHostsValidator { get; } = new();

    public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(apiKey);
}

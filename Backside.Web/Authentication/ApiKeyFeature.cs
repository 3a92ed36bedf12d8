using Backside.Core.ApiKeys;

namespace Backside.Web.Authentication;

/// <summary>The key that authenticated this request, for the checks that run after authentication (restrictions, rate limit).</summary>
public sealed class ApiKeyFeature(ApiKeyCredential key)
{
    public ApiKeyCredential Key { get; } = key;
}

/// <summary>
/// The key a request was made with, once it was found, even if it was then refused (revoked, expired, inactive):
/// the request counts in that key's usage.
/// </summary>
public sealed record IdentifiedApiKeyFeature(string KeyId, string OrganizationId);

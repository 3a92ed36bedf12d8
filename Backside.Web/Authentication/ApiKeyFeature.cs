using Backside.Core.ApiKeys;

namespace Backside.Web.Authentication;

/// <summary>The key that authenticated this request, for the checks that run after authentication (restrictions, rate limit).</summary>
public sealed class ApiKeyFeature(ApiKeyCredential key)
{
    public ApiKeyCredential Key { get; } = key;
}

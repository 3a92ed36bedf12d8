using Backside.Core.ApiKeys;

namespace Backside.Web.Authentication;

/// <summary>
/// The key rail's verdict on this request's key, set once per keyed request: the key it identified (if it got that
/// far) and whether it accepted it. Read by what runs after authentication: the refused-key short cut, the key's
/// restrictions, the rate limit, and usage counting (a refused but identified key still counts in its usage).
/// </summary>
public sealed class ApiKeyFeature
{
    /// <summary>A key refused before it could be identified: malformed, unknown, or the secret of another key id.</summary>
    public static readonly ApiKeyFeature Unidentified = new(null, isAccepted: false);

    private ApiKeyFeature(ApiKeyCredential? key, bool isAccepted)
    {
        Key = key;
        IsAccepted = isAccepted;
    }

    public static ApiKeyFeature Accepted(ApiKeyCredential key) => new(key, isAccepted: true);

    /// <summary>A known key refused for its state (revoked, expired, inactive).</summary>
    public static ApiKeyFeature Refused(ApiKeyCredential key) => new(key, isAccepted: false);

    /// <summary>The key the request was made with, once found; null when it could not be identified.</summary>
    public ApiKeyCredential? Key { get; }

    public bool IsAccepted { get; }
}

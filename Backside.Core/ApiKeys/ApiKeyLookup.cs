using Backside.Core.Common;

namespace Backside.Core.ApiKeys;

/// <summary>
/// The answer to a key lookup: the key, no key (<see cref="Credential"/> null), or no lookup at all because the
/// client has spent its budget of lookups that found nothing (<see cref="Throttle"/> refused).
/// </summary>
public readonly record struct ApiKeyLookup(ApiKeyCredential? Credential, ThrottleDecision Throttle)
{
    public static readonly ApiKeyLookup NoSuchKey = new(null, ThrottleDecision.Allow);

    public static ApiKeyLookup Found(ApiKeyCredential? credential) => new(credential, ThrottleDecision.Allow);

    public static ApiKeyLookup Throttled(ThrottleDecision decision) => new(null, decision);
}

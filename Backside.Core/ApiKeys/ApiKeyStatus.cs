namespace Backside.Core.ApiKeys;

/// <summary>
/// Stored states are Active, Inactive and Revoked; Expired is never stored but derived from <see cref="ApiKey.ExpiresAt"/>,
/// so a key expires at its exact second with nothing to run.
/// </summary>
public enum ApiKeyStatus
{
    Active,
    Inactive,
    Revoked,
    Expired,
}

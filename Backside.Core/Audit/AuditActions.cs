namespace Backside.Core.Audit;

public static class AuditActions
{
    public const string ApiKeyCreated = "api_key.created";
    public const string ApiKeyUpdated = "api_key.updated";
    public const string ApiKeyRotated = "api_key.rotated";
    public const string ApiKeyDeactivated = "api_key.deactivated";
    public const string ApiKeyActivated = "api_key.activated";
    public const string ApiKeyRevoked = "api_key.revoked";
}

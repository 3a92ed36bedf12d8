namespace Backside.Core.Audit;

/// <summary>Who made an audited change, as <see cref="AuditEvent.ActorType"/> stores it and the API shows it.</summary>
public static class AuditActorTypes
{
    public const string User = "user";
    public const string ApiKey = "api_key";
    public const string Wallet = "wallet";
}

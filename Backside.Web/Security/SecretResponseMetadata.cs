namespace Backside.Web.Security;

/// <summary>Endpoint metadata: the response carries a secret (a raw key, a token), so no cache may keep it.</summary>
public sealed class SecretResponseMetadata
{
    public static readonly SecretResponseMetadata Instance = new();

    private SecretResponseMetadata() { }
}

namespace Backside.Web.Security;

/// <summary>Endpoint metadata: the response carries a secret (a raw key, a token), so no cache may keep it.</summary>
public sealed class SecretResponseMetadata
{
    public static readonly SecretResponseMetadata Instance = new();

    private SecretResponseMetadata() { }
}

public static class SecretResponseExtensions
{
    /// <summary>Marks the endpoint(s) as answering with a secret: <c>Cache-Control: no-store</c> on every response.</summary>
    public static TBuilder CarriesSecret<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(SecretResponseMetadata.Instance);
}

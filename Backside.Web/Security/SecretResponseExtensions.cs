namespace Backside.Web.Security;

public static class SecretResponseExtensions
{
    /// <summary>Marks the endpoint(s) as answering with a secret: <c>Cache-Control: no-store</c> on every response.</summary>
    public static TBuilder CarriesSecret<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(SecretResponseMetadata.Instance);
}

using System.Text.Json.Nodes;
using Backside.Web.Payments;
using Microsoft.OpenApi;

namespace Backside.Web.OpenApi;

/// <summary>
/// The response headers a client reads, as <c>components/headers</c>. <c>required</c> only where the server always
/// sends the header on the response that refers to it.
/// </summary>
public static class ResponseHeaders
{
    public const string RateLimit = "RateLimit";
    public const string RateLimitPolicy = "RateLimit-Policy";
    public const string RetryAfter = "Retry-After";
    public const string Location = "Location";
    public const string Allow = "Allow";
    public const string WwwAuthenticate = "WWW-Authenticate";
    public const string PaymentRequired = X402PaymentMiddleware.PaymentRequiredHeader;
    public const string PaymentResponse = X402PaymentMiddleware.V2ResponseHeader;
    public const string PaymentResponseV1 = X402PaymentMiddleware.V1ResponseHeader;

    private const string KeyedOnly = "Sent on every response to a request made with an API key that its IP and referrer allowlists admit " +
        "(not to access tokens, x402 payments, refused keys or requests refused before the key is read).";

    private static readonly Dictionary<string, Func<OpenApiHeader>> Definitions = new()
    {
        [RateLimit] = () => Header(KeyedOnly + " IETF draft: what is left of the key's budget (`r`) and the seconds until all of it is back (`t`).",
            JsonSchemaType.String, required: false, "\"per-key\";r=599;t=1"),
        [RateLimitPolicy] = () => Header(KeyedOnly + " IETF draft: the key's quota (`q`) per window of `w` seconds.",
            JsonSchemaType.String, required: false, "\"per-key\";q=600;w=60"),
        [RetryAfter] = () => Header("Seconds to wait before the next request is admitted; the same number as `retry_after` in the body.",
            JsonSchemaType.Integer, required: true, 12),
        [Location] = () => Header("The path of the object just created.", JsonSchemaType.String, required: true,
            "/api/v1/contacts/con_019aad5e4c3a7c1b9f2e8d7c6b5a4f3e"),
        [Allow] = () => Header("The methods this path has.", JsonSchemaType.String, required: true, "GET, POST"),
        [WwwAuthenticate] = () => Header("The scheme to authenticate with (RFC 6750), with `error=\"invalid_token\"` when a bad credential " +
            "was sent; on the 401s of the key and access-token rails (not on those of sign-in, or of a key revoked while its request ran).",
            JsonSchemaType.String, required: false, "Bearer realm=\"Backside API\", error=\"invalid_token\""),
        [PaymentRequired] = () => Header("x402 v2: the base64 of a JSON object with `x402Version: 2`, `error`, `resource` and `accepts` " +
            "(the offers: `scheme`, `network` such as `eip155:84532`, `amount`, `asset`, `payTo`, `maxTimeoutSeconds`, `extra`). " +
            "Pay one of them with a PAYMENT-SIGNATURE header.", JsonSchemaType.String, required: true, "eyJ4NDAyVmVyc2lvbiI6MiwiZXJyb3IiOiJQYXltZW50IHJlcXVpcmVkIn0="),
        [PaymentResponse] = () => Header("x402 v2: the base64 JSON settlement receipt (`success`, `transaction`, `network`, `payer`). On a " +
            "success paid with PAYMENT-SIGNATURE; on a 402 when the facilitator refused to settle a v2 payment and said why.",
            JsonSchemaType.String, required: false, "eyJzdWNjZXNzIjp0cnVlfQ=="),
        [PaymentResponseV1] = () => Header("x402 v1: the base64 JSON settlement receipt, on a success paid with X-PAYMENT.",
            JsonSchemaType.String, required: false, "eyJzdWNjZXNzIjp0cnVlfQ=="),
    };

    /// <summary>A reference to the header, added to <c>components/headers</c> the first time one is asked for.</summary>
    public static IOpenApiHeader Reference(OpenApiDocument document, string name)
    {
        var components = document.Components ??= new OpenApiComponents();
        components.Headers ??= new Dictionary<string, IOpenApiHeader>();
        if (!components.Headers.ContainsKey(name))
            document.AddComponent<IOpenApiHeader>(name, Definitions[name]());
        return new OpenApiHeaderReference(name, document);
    }

    /// <summary>Adds the headers to a response, keeping any it declares already.</summary>
    public static void AddTo(IOpenApiResponse response, OpenApiDocument document, params ReadOnlySpan<string> names)
    {
        if (response is not OpenApiResponse concrete)
            return;
        concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
        foreach (var name in names)
            concrete.Headers.TryAdd(name, Reference(document, name));
    }

    private static OpenApiHeader Header(string description, JsonSchemaType type, bool required, JsonNode example) => new()
    {
        Description = description,
        Required = required,
        Schema = new OpenApiSchema { Type = type, Minimum = type == JsonSchemaType.Integer ? "0" : null },
        Example = example,
    };
}

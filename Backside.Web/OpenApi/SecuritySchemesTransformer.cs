using Backside.Core.Payments;
using Backside.Web.Authentication;
using Backside.Web.Payments;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Backside.Web.OpenApi;

/// <summary>
/// The ways to call the API, as each route really accepts them: a key (as a bearer token, in X-API-Key, or as the pair
/// X-API-Key id + X-Api-Secret) or a person's access token everywhere; nothing on <c>/auth</c>; and on priced routes
/// also an x402 payment, or nothing at all (which is answered 402 with the offers).
/// </summary>
public sealed class SecuritySchemesTransformer(PricedRoutes pricedRoutes) : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string Bearer = "bearer";
    public const string ApiKeyHeader = "apiKeyHeader";
    public const string PairSecret = "pairSecret";
    public const string Payment = "x402Payment";
    public const string PaymentV1 = "x402PaymentV1";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var schemes = (document.Components ??= new OpenApiComponents()).SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        schemes[Bearer] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "bsk_live_… / bsk_test_… key, or an access token (JWT)",
            Description = "An API key, or a person's access token from POST /api/v1/auth/login (15 minutes; renew with /api/v1/auth/refresh).",
        };
        // Header names are case-insensitive: the pair form's X-Api-Key is this same header, carrying the key id instead.
        schemes[ApiKeyHeader] = Header(ApiKeyDefaults.HeaderName,
            "The API key (bsk_…). In the pair form, sent with X-Api-Secret, it carries the key's id (key_…) instead.");
        schemes[PairSecret] = Header(ApiKeyDefaults.SecretHeaderName,
            "Pair form: the key's secret (bsk_…), sent with the key's id in X-API-Key; an id and secret of different keys get 401.");
        document.Security = KeyRequirements(document);
        return Task.CompletedTask;
    }

    /// <summary>Per operation where it differs from the document's: sessions take nothing, priced routes a payment or nothing too.</summary>
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document ?? throw new InvalidOperationException("The operation has no document to add components to.");
        var route = ApiOperation.Of(context.Description, pricedRoutes);
        if (route.IsSession)
            operation.Security = [];
        else if (route.IsPriced)
            operation.Security = [.. KeyRequirements(document), .. PaymentRequirements(document), new OpenApiSecurityRequirement()];
        return Task.CompletedTask;
    }

    private static List<OpenApiSecurityRequirement> KeyRequirements(OpenApiDocument document) =>
    [
        new() { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] },
        new() { [new OpenApiSecuritySchemeReference(ApiKeyHeader, document)] = [] },
        new()
        {
            [new OpenApiSecuritySchemeReference(ApiKeyHeader, document)] = [],
            [new OpenApiSecuritySchemeReference(PairSecret, document)] = [],
        },
    ];

    /// <summary>The payment schemes, added to components with the first priced operation.</summary>
    private static List<OpenApiSecurityRequirement> PaymentRequirements(OpenApiDocument document)
    {
        var schemes = (document.Components ??= new OpenApiComponents()).SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        schemes.TryAdd(Payment, Header(X402Verifier.V2Header,
            "x402 v2: the base64 payment payload signed for one of the offers of the 402's PAYMENT-REQUIRED header. Settled after " +
            "a successful answer, which carries the receipt in PAYMENT-RESPONSE. See the README, \"Paying per request with x402\"."));
        schemes.TryAdd(PaymentV1, Header(X402Verifier.V1Header,
            "x402 v1: the base64 payment payload signed for one of the offers in the 402 body's `accepts`; the receipt comes in " +
            "X-PAYMENT-RESPONSE."));
        return
        [
            new() { [new OpenApiSecuritySchemeReference(Payment, document)] = [] },
            new() { [new OpenApiSecuritySchemeReference(PaymentV1, document)] = [] },
        ];
    }

    private static OpenApiSecurityScheme Header(string name, string description) => new()
    {
        Type = SecuritySchemeType.ApiKey,
        In = ParameterLocation.Header,
        Name = name,
        Description = description,
    };
}

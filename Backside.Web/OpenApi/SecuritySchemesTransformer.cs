using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Backside.Web.OpenApi;

/// <summary>Declares the three ways to send a key, and that every operation accepts any one of them.</summary>
public sealed class SecuritySchemesTransformer : IOpenApiDocumentTransformer
{
    public const string Bearer = "bearer";
    public const string ApiKeyHeader = "apiKeyHeader";
    public const string PairKeyId = "pairKeyId";
    public const string PairSecret = "pairSecret";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Backside API";
        document.Info.Description =
            "Manage API keys and the sample contacts resource. Send a key as `Authorization: Bearer bsk_…`, in " +
            "`X-API-Key`, or as the pair `X-Api-Key: <key id>` + `X-Api-Secret: bsk_…`. Errors are RFC 9457 " +
            "problem+json with a stable `code`.";

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "bsk_live_… / bsk_test_… key, or an access token (JWT)",
            Description = "An API key, or a person's access token from POST /api/v1/auth/login (15 minutes; renew with /api/v1/auth/refresh).",
        };
        document.Components.SecuritySchemes[ApiKeyHeader] = Header("X-API-Key", "The API key in its own header.");
        document.Components.SecuritySchemes[PairKeyId] = Header("X-Api-Key", "Pair form: the key id (key_…), sent with X-Api-Secret.");
        document.Components.SecuritySchemes[PairSecret] = Header("X-Api-Secret", "Pair form: the secret (bsk_…), sent with X-Api-Key.");

        document.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyHeader, document)] = [] },
            new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(PairKeyId, document)] = [],
                [new OpenApiSecuritySchemeReference(PairSecret, document)] = [],
            },
        ];
        return Task.CompletedTask;
    }

    private static OpenApiSecurityScheme Header(string name, string description) => new()
    {
        Type = SecuritySchemeType.ApiKey,
        In = ParameterLocation.Header,
        Name = name,
        Description = description,
    };
}

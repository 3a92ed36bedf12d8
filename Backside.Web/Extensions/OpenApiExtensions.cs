using Backside.Core.Common;
using Backside.Web.Api;
using Backside.Web.OpenApi;
using Microsoft.AspNetCore.OpenApi;
using Scalar.AspNetCore;

namespace Backside.Web.Extensions;

public static class OpenApiExtensions
{
    public const string DocumentName = "v1";

    /// <summary>An OpenAPI document of <c>/api/v1</c> with its security per route, problem responses, response headers and examples.</summary>
    public static WebApplicationBuilder AddBacksideOpenApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(DocumentName, options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1", StringComparison.Ordinal) == true;
            // A PATCH field's schema depends on the property (nullable or not), so Optional<T> is never a shared component.
            options.CreateSchemaReferenceId = type =>
                type.Type.IsGenericType && type.Type.GetGenericTypeDefinition() == typeof(Optional<>) ? null : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
            options.AddSchemaTransformer<ApiSchemaTransformer>();
            options.AddDocumentTransformer<ResponseSchemasTransformer>();
            options.AddDocumentTransformer<DocumentInfoTransformer>();
            options.AddDocumentTransformer<SecuritySchemesTransformer>();
            options.AddOperationTransformer<SecuritySchemesTransformer>();
            options.AddOperationTransformer<ProblemResponsesTransformer>();
            options.AddOperationTransformer<ResponseHeadersTransformer>();
            options.AddOperationTransformer<ExamplesTransformer>();
        });
        return builder;
    }

    /// <summary>The document at <c>/openapi/v1.json</c> always; the Scalar explorer at <c>/scalar</c> in Development.</summary>
    public static WebApplication MapBacksideOpenApi(this WebApplication app)
    {
        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference(options => options
                .WithTitle("Backside API")
                .AddPreferredSecuritySchemes(SecuritySchemesTransformer.Bearer));
        }
        return app;
    }
}

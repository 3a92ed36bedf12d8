using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Backside.Web.OpenApi;

/// <summary>The document's title and introduction, and its server URL as a base that paths are appended to.</summary>
public sealed class DocumentInfoTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Backside API";
        document.Info.Description =
            "Manage API keys and the sample contacts resource. Send a key as `Authorization: Bearer bsk_…`, in " +
            "`X-API-Key`, or as the pair `X-API-Key: <key id>` + `X-Api-Secret: bsk_…`; people send an access token from " +
            "`/api/v1/auth/login` as `Authorization: Bearer …`. Priced routes also take an x402 payment instead. Errors are " +
            "RFC 9457 problem+json with a stable `code` (the shared `Problem` schema).";
        // The framework names the request's origin with a trailing slash; paths start with one already.
        foreach (var server in document.Servers ?? [])
        {
            if (server.Url is { Length: > 1 } url && url.EndsWith('/'))
                server.Url = url.TrimEnd('/');
        }
        return Task.CompletedTask;
    }
}

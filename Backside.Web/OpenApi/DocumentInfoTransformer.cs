using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Backside.Web.OpenApi;

/// <summary>The document's title and introduction, each tag's description, and its server URL as a base that paths are appended to.</summary>
public sealed class DocumentInfoTransformer : IOpenApiDocumentTransformer
{
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Sessions"] = "API sessions for people: sign in with email and password (and a second factor), refresh, sign out.",
        ["Contacts"] = "The sample business resource the scopes protect; live and test keys see separate contacts.",
        ["API keys"] = "Create, list, change, rotate, deactivate, activate and revoke the organization's API keys.",
        ["Audit log"] = "Every change to a key, who made it, from where and when, as a tamper-evident chain.",
        ["Usage"] = "Request counts by outcome, per key and for the organization.",
        ["Invitations"] = "Invite people to the organization by email, list, resend and revoke invitations, and accept one (POST /members).",
        ["Members"] = "The organization's members and their roles (Owner, Admin, Developer, Viewer): list, change a role, remove, leave.",
        ["Organization"] = "The caller's organization: its name, plan and key policies; transfer ownership, delete it, or make a new team organization.",
        ["Health"] = "A cheap keyed endpoint to check a key and measure what authentication costs.",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Backside API";
        document.Info.Description =
            "Manage API keys and the sample contacts resource. Send a key as `Authorization: Bearer bsk_…`, in " +
            "`X-API-Key`, or as the pair `X-API-Key: <key id>` + `X-Api-Secret: bsk_…`; people send an access token from " +
            "`/api/v1/auth/login` as `Authorization: Bearer …`. Priced routes also take an x402 payment instead. Errors are " +
            "RFC 9457 problem+json with a stable `code` (the shared `Problem` schema).";
        foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
        {
            if (tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description))
                tag.Description = description;
        }

        // The framework names the request's origin with a trailing slash; paths start with one already.
        foreach (var server in document.Servers ?? [])
        {
            if (server.Url is { Length: > 1 } url && url.EndsWith('/'))
                server.Url = url.TrimEnd('/');
        }
        return Task.CompletedTask;
    }
}

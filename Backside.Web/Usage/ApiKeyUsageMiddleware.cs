using Backside.Core.Usage;
using Backside.Web.Authentication;
using Backside.Web.Authorization;

namespace Backside.Web.Usage;

/// <summary>
/// Counts every request made with a known key, by its final status (it sits outside the error handlers, so a 500
/// counts as a 500), and the scope a successful request exercised. In memory only; the usage flush writes it.
/// </summary>
public sealed class ApiKeyUsageMiddleware(RequestDelegate next, ApiKeyUsageTracker usage)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        finally
        {
            if (context.Features.Get<ApiKeyFeature>()?.Key is { } key)
                usage.CountRequest(key.Id, key.OrganizationId, context.Response.StatusCode, RequiredScope(context));
        }
    }

    private static string? RequiredScope(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<RequiredScopeMetadata>()?.Scope;
}

using Microsoft.AspNetCore.Diagnostics;

namespace Backside.Web.Dashboard;

/// <summary>
/// An empty 404 for a page address (nothing routed there, or an endpoint that answered 404 without a body) is
/// answered with the site's not-found page, keeping the 404. The framework's status-code re-execution cannot do this
/// for Blazor: it hands the page a request already marked 404, which the component renderer answers with an empty
/// body, so a browser showed its own error page. Here the page is rendered as a fresh GET of
/// <see cref="NotFoundPath"/>, which marks the response 404 itself (<c>NavigationManager.NotFound()</c>). Other error
/// codes keep their own answers.
/// </summary>
public sealed class NotFoundPageMiddleware(RequestDelegate next, EndpointDataSource endpoints)
{
    public const string NotFoundPath = "/not-found";

    /// <summary>The page's endpoint, found once: routing has already run when a 404 comes back here.</summary>
    private Endpoint? page;

    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);

        var response = context.Response;
        if (response.StatusCode != StatusCodes.Status404NotFound || response.HasStarted || response.ContentLength is not null
            || !string.IsNullOrEmpty(response.ContentType) || !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            || context.Features.Get<IStatusCodeReExecuteFeature>() is not null
            || Path.HasExtension(context.Request.Path.Value)) // a missing file stays a plain 404
            return;

        var request = context.Request;
        var (path, pathBase, query, endpoint, routeValues) = (request.Path, request.PathBase, request.QueryString, context.GetEndpoint(), request.RouteValues);
        context.Features.Set<IStatusCodeReExecuteFeature>(new StatusCodeReExecuteFeature
        {
            OriginalPath = path.Value ?? "",
            OriginalPathBase = pathBase.Value ?? "",
            OriginalQueryString = query.HasValue ? query.Value : null,
            Endpoint = endpoint,
            RouteValues = new(routeValues),
        });
        var services = context.RequestServices;
        await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        try
        {
            context.RequestServices = scope.ServiceProvider;
            page ??= endpoints.Endpoints.OfType<RouteEndpoint>()
                .First(e => string.Equals(e.RoutePattern.RawText?.Trim('/'), NotFoundPath.Trim('/'), StringComparison.Ordinal));
            context.SetEndpoint(page);
            request.RouteValues.Clear();
            request.Path = NotFoundPath;
            request.QueryString = QueryString.Empty;
            response.StatusCode = StatusCodes.Status200OK;
            await next(context);
        }
        finally
        {
            context.RequestServices = services;
            request.Path = path;
            request.QueryString = query;
            context.SetEndpoint(endpoint);
            context.Features.Set<IStatusCodeReExecuteFeature?>(null);
        }
    }
}

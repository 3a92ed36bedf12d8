using Backside.Web.Components.Layout;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Backside.Web.Dashboard;

/// <summary>
/// The theme toggle of a static page (the account pages have no circuit): a form posted here (antiforgery-checked, as
/// every form is) remembers the choice in a cookie and reloads the page in it.
/// </summary>
public static class ThemeEndpoints
{
    public const string Path = "/preferences/theme";

    public static IEndpointRouteBuilder MapThemeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, Choose).ExcludeFromDescription();
        return app;
    }

    /// <summary>Remembers <paramref name="theme"/> (<c>dark</c> or <c>light</c>; anything else changes nothing) and goes back to <paramref name="returnUrl"/>.</summary>
    static RedirectHttpResult Choose(
        [FromForm(Name = "theme")] string? theme, [FromForm(Name = "return_url")] string? returnUrl, HttpContext http)
    {
        if (theme is ThemePreference.Dark or ThemePreference.Light)
            ThemePreference.Choose(http, theme == ThemePreference.Dark);
        return TypedResults.LocalRedirect("~/" + ActiveOrganizationEndpoints.LocalPath(returnUrl));
    }
}

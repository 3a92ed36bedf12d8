using Backside.Core.Data;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Backside.Web.Dashboard;

/// <summary>
/// Switching the dashboard's organization. A Blazor circuit cannot set cookies, so the switcher posts a form here
/// (antiforgery-checked, as every form is) and the answer's redirect reloads the page in the chosen organization.
/// </summary>
public static class ActiveOrganizationEndpoints
{
    public const string Path = "/dashboard/organization";

    public static IEndpointRouteBuilder MapActiveOrganizationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, Switch).RequireAuthorization().ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// Acts in <paramref name="organizationId"/> from now on in this browser, and remembers it as the person's last
    /// choice. An organization the person does not belong to changes nothing; either way the browser goes back to
    /// <paramref name="returnUrl"/> (a path of this site only).
    /// </summary>
    static async Task<RedirectHttpResult> Switch(
        [FromForm(Name = "organization_id")] string? organizationId, [FromForm(Name = "return_url")] string? returnUrl,
        HttpContext http, UserManager<ApplicationUser> users, OrganizationService organizations, BacksideDbContext db,
        ActiveOrganizationCookie cookie, CancellationToken ct)
    {
        if (await users.GetUserAsync(http.User) is { } user
            && organizationId is { Length: <= 64 }
            && await organizations.ChooseMembershipAsync(user, organizationId, ct) is { } membership)
        {
            cookie.Write(http, user.Id, membership.OrganizationId);
            cookie.DeleteNotice(http);
            await ActiveOrganization.RememberAsync(db, user.Id, membership.OrganizationId, ct);
        }
        return TypedResults.LocalRedirect("~/" + LocalPath(returnUrl));
    }

    /// <summary>A path relative to the site's base, or the dashboard's home for anything that could leave the site.</summary>
    internal static string LocalPath(string? returnUrl) =>
        returnUrl is { Length: <= 2048 } path && !path.StartsWith('/') && !path.Contains('\\', StringComparison.Ordinal)
            && !path.Contains("://", StringComparison.Ordinal) && !path.Any(char.IsControl)
            ? path
            : "";
}

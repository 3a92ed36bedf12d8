using Backside.Core.Data;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Backside.Web.Dashboard;

/// <summary>
/// On every page load of a signed-in person: a browser cookie naming an organization they no longer belong to is
/// dropped (the page falls back to their last or personal organization) and replaced by a notice cookie, so this page
/// and its circuit say "You no longer belong to …" once; the next page load drops the notice. Only page loads (GET
/// of a Razor component) pay the one membership query; the API, static files and the circuit's own requests do not.
/// </summary>
public sealed class ActiveOrganizationMiddleware(RequestDelegate next)
{
    /// <summary>Set for this request: the name of the organization whose membership ended, found now.</summary>
    public const string EndedNowKey = "backside.org.ended_now";

    /// <summary>Set for this request: the notice was shown on the previous page load and is gone from now on.</summary>
    public const string NoticeShownKey = "backside.org.notice_shown";

    public async Task InvokeAsync(HttpContext context, ActiveOrganizationCookie cookie, UserManager<ApplicationUser> users)
    {
        if (HttpMethods.IsGet(context.Request.Method)
            && context.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is not null
            && context.User.Identity?.IsAuthenticated == true
            && users.GetUserId(context.User) is { } userId)
        {
            if (ActiveOrganizationCookie.HasNotice(context))
            {
                cookie.DeleteNotice(context);
                context.Items[NoticeShownKey] = true;
            }
            if (ActiveOrganizationCookie.HasCookie(context))
                await CheckAsync(context, cookie, userId);
        }
        await next(context);
    }

    private static async Task CheckAsync(HttpContext context, ActiveOrganizationCookie cookie, string userId)
    {
        if (cookie.Read(context, userId) is not { } organizationId)
        {
            cookie.Delete(context);
            return;
        }
        var db = context.RequestServices.GetRequiredService<BacksideDbContext>();
        var standing = await MembershipLookup.StandingAsync(db, organizationId, userId, context.RequestAborted);
        if (standing is not null)
            return;
        // The person chose this organization while a member (the cookie is theirs and cannot be forged), so its name
        // is theirs to read; an organization deleted since has none.
        var name = await db.Organizations.Where(o => o.Id == organizationId).Select(o => o.Name).FirstOrDefaultAsync(context.RequestAborted)
            ?? "that organization";
        cookie.Delete(context);
        cookie.WriteNotice(context, userId, name);
        context.Items[EndedNowKey] = name;
    }
}

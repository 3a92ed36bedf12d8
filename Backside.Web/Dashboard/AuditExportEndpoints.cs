using System.Globalization;
using Backside.Core.Audit;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Web.Api;
using Backside.Web.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Backside.Web.Dashboard;

/// <summary>
/// The audit log page's CSV export: the signed-in person (dashboard cookie), in an organization they belong to (the
/// page names it, so the file is of the log the page shows), with the role's <c>audit:read</c>, and the page's
/// filters. At most <see cref="AuditLog.MaxExportRows"/> rows, the newest that match, streamed as they are read.
/// A GET changes nothing, so it needs no antiforgery token; another site can start it but never read the answer.
/// </summary>
public static class AuditExportEndpoints
{
    public const string Path = "/dashboard/audit-log/export";

    public static IEndpointRouteBuilder MapAuditExportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, Export).RequireAuthorization().ExcludeFromDescription();
        return app;
    }

    static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> Export(
        [FromQuery(Name = "organization_id")] string? organizationId,
        [FromQuery(Name = "action")] string? action,
        [FromQuery(Name = "actor")] string? actor,
        [FromQuery(Name = "key_id")] string? keyId,
        [FromQuery(Name = "from")] string? from,
        [FromQuery(Name = "to")] string? to,
        [FromQuery(Name = "q")] string? search,
        HttpContext http, UserManager<ApplicationUser> users, OrganizationService organizations, AuditLog log, TimeProvider time,
        CancellationToken ct)
    {
        if (await users.GetUserAsync(http.User) is not { } user)
            return TypedResults.Problem(ApiProblem.Create(StatusCodes.Status401Unauthorized, "unauthenticated", "Not signed in", "Sign in again to export the audit log."));
        if (await organizations.ChooseMembershipAsync(user, organizationId is null or { Length: <= 64 } ? organizationId : "", ct) is not { } membership)
            return TypedResults.Problem(ApiProblem.Create(StatusCodes.Status403Forbidden, "not_a_member", "Not a member", ActiveOrganization.NotAMemberMessage));
        var filter = AuditLogFilter.Parse(action, actor, keyId, from, to, search);
        if (filter.Error is { } invalid)
            return invalid.ToProblem();
        var export = log.Export(Caller.ForMember(membership, user.Id, CallerIdentity.ClientOf(http)), filter.Value!);
        if (export.Error is { } refused)
            return refused.ToProblem();
        var rows = export.Value!.Rows;
        var name = $"audit-log-{time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.csv";
        return TypedResults.Stream(body => AuditCsv.WriteAsync(body, rows, ct), "text/csv; charset=utf-8", name);
    }
}

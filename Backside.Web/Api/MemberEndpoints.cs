using Backside.Core.ApiKeys;
using Backside.Core.Common;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Web.Authentication;
using Backside.Web.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Backside.Web.Api;

/// <summary>The caller's organization's members: list, change a role, remove or leave. Invitations (which add members) have their own module.</summary>
public static class MemberEndpoints
{
    public static IEndpointRouteBuilder MapMemberEndpoints(this IEndpointRouteBuilder api)
    {
        var members = api.MapGroup("/members").WithTags("Members");
        members.MapGet("/", List).RequireScope(Scopes.MembersRead)
            .WithName("listMembers").WithSummary("List members")
            .WithDescription("The members of the caller's organization (user id, email, role, when they joined) in user id order, with cursor paging.");
        members.MapPatch("/{user_id}", ChangeRole).RequireScope(Scopes.MembersWrite)
            .WithName("changeMemberRole").WithSummary("Change a member's role")
            .WithDescription("Needs the `manage_members` right (Owner, Admin, or a live key with `members:write`); making or un-making an Owner needs `manage_owners` (Owners only). The last Owner cannot be demoted (409 `last_owner`).");
        // members:read, not write: any member may leave, and a Viewer's scopes are the read ones. Core asks for
        // members:write when the user id is someone else's.
        members.MapDelete("/{user_id}", Remove).RequireScope(Scopes.MembersRead).TakesNoBody()
            .WithName("removeMember").WithSummary("Remove a member, or leave")
            .WithDescription("Removes the member from the organization; their sessions there end on their next request, and the keys they created stay. With your own user id you leave, whatever your role. Removing someone else needs `members:write` and the `manage_members` right, and `manage_owners` for an Owner. The last Owner can neither be removed nor leave (409 `last_owner`: transfer ownership first, or delete the organization); a personal organization's own Owner stays in it (409 `personal_organization`).");
        return api;
    }

    static async Task<Results<Ok<ListResponse<MemberResponse>>, ProblemHttpResult>> List(
        [AsParameters] MemberListParameters parameters, Caller caller, MemberService members, CancellationToken ct)
    {
        var result = await members.ListAsync(caller, parameters.Limit, parameters.StartingAfter, ct);
        return result.Succeeded
            ? TypedResults.Ok(new ListResponse<MemberResponse>(result.Value.Data.Select(MemberResponse.From).ToList(), result.Value.HasMore))
            : result.Error.ToProblem();
    }

    static async Task<Results<Ok<MemberResponse>, ProblemHttpResult>> ChangeRole(
        [FromRoute(Name = "user_id")] string userId, ChangeMemberRoleRequest request, Caller caller, MemberService members, CancellationToken ct) =>
        MemberResult(await members.ChangeRoleAsync(caller, userId, request.Role, ct));

    static async Task<Results<NoContent, ProblemHttpResult>> Remove(
        [FromRoute(Name = "user_id")] string userId, Caller caller, MemberService members, CancellationToken ct)
    {
        var result = await members.RemoveAsync(caller, userId, ct);
        return result.Succeeded ? TypedResults.NoContent() : result.Error.ToProblem();
    }

    internal static Results<Ok<MemberResponse>, ProblemHttpResult> MemberResult(OperationResult<MemberView> result) =>
        result.Succeeded ? TypedResults.Ok(MemberResponse.From(result.Value)) : result.Error.ToProblem();
}

using Backside.Core.ApiKeys;
using Backside.Core.Common;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Web.Authentication;
using Backside.Web.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Backside.Web.Api;

public static class InvitationEndpoints
{
    public static IEndpointRouteBuilder MapInvitationEndpoints(this IEndpointRouteBuilder api)
    {
        var invitations = api.MapGroup("/invitations").WithTags("Invitations");
        invitations.MapGet("/", List).RequireScope(Scopes.MembersRead)
            .WithName("listInvitations").WithSummary("List invitations")
            .WithDescription("The organization's invitations, newest first, with who sent each and cursor paging: the pending ones, or with `status=all` every one.");
        invitations.MapPost("/", Create).RequireScope(Scopes.MembersWrite)
            .WithName("createInvitation").WithSummary("Invite someone by email")
            .WithDescription("Mails a link that makes the account of this address, once confirmed, a member with `role`. It works once, for 7 days; the answer never carries it. Needs ManageMembers (an Owner's invitation ManageOwners), or a live key. 409 `already_member`, `invitation_pending` (resend it instead), `too_many_invitations` (100 pending).");
        invitations.MapDelete("/{id}", Revoke).RequireScope(Scopes.MembersWrite).TakesNoBody()
            .WithName("revokeInvitation").WithSummary("Revoke an invitation")
            .WithDescription("The link stops working at once. Revoking a revoked invitation answers it unchanged; an accepted one is 409 `invitation_not_pending`.");
        invitations.MapPost("/{id}/resend", Resend).RequireScope(Scopes.MembersWrite).TakesNoBody()
            .WithName("resendInvitation").WithSummary("Resend an invitation")
            .WithDescription("Mails a new link with a new 7-day expiry; the previous link stops working. At most once a minute (409 `resend_too_soon`); an accepted or revoked invitation is 409 `invitation_not_pending`.");

        api.MapPost("/members", Accept).WithTags("Invitations")
            .WithName("acceptInvitation").WithSummary("Accept an invitation")
            .WithDescription("Makes the person of the access token a member of the organization the invitation `token` is for, with its role. Only a person (an access token) may; the account's confirmed email must be the invited address (403 `invitation_email_mismatch`). 400 `invitation_invalid` (unknown, used, revoked or replaced), `invitation_expired`; 409 `already_member`.");
        return api;
    }

    static async Task<Results<Ok<ListResponse<InvitationResponse>>, ProblemHttpResult>> List(
        [AsParameters] InvitationListParameters parameters, Caller caller, InvitationService invitations, TimeProvider time, CancellationToken ct)
    {
        if (parameters.Status is not (null or InvitationListParameters.PendingStatus or InvitationListParameters.AllStatus))
            return OperationError.Invalid(new Dictionary<string, string[]> { ["status"] = ["status must be pending or all."] }).ToProblem();
        var result = await invitations.ListAsync(caller, parameters.Status == InvitationListParameters.AllStatus, parameters.Limit, parameters.StartingAfter, ct);
        if (!result.Succeeded)
            return result.Error.ToProblem();
        var now = time.GetUtcNow();
        return TypedResults.Ok(new ListResponse<InvitationResponse>(
            result.Value.Data.Select(i => InvitationResponse.From(i.Invitation, i.InvitedByEmail, now)).ToList(), result.Value.HasMore));
    }

    static async Task<Results<Created<InvitationResponse>, ProblemHttpResult>> Create(
        CreateInvitationRequest request, Caller caller, InvitationService invitations, TimeProvider time, CancellationToken ct)
    {
        var result = await invitations.CreateAsync(caller, request.Email, request.Role, ct);
        if (!result.Succeeded)
            return result.Error.ToProblem();
        var invitation = result.Value.Invitation;
        return TypedResults.Created($"/api/v1/invitations/{invitation.Id}",
            InvitationResponse.From(invitation, await invitations.EmailOfAsync(invitation.InvitedBy, ct), time.GetUtcNow()));
    }

    static async Task<Results<Ok<InvitationResponse>, ProblemHttpResult>> Resend(
        string id, Caller caller, InvitationService invitations, TimeProvider time, CancellationToken ct)
    {
        var result = await invitations.ResendAsync(caller, id, ct);
        return result.Succeeded
            ? TypedResults.Ok(InvitationResponse.From(result.Value.Invitation, await invitations.EmailOfAsync(result.Value.Invitation.InvitedBy, ct), time.GetUtcNow()))
            : result.Error.ToProblem();
    }

    static async Task<Results<Ok<InvitationResponse>, ProblemHttpResult>> Revoke(
        string id, Caller caller, InvitationService invitations, TimeProvider time, CancellationToken ct)
    {
        var result = await invitations.RevokeAsync(caller, id, ct);
        return result.Succeeded
            ? TypedResults.Ok(InvitationResponse.From(result.Value, await invitations.EmailOfAsync(result.Value.InvitedBy, ct), time.GetUtcNow()))
            : result.Error.ToProblem();
    }

    static async Task<Results<Created<InvitationMembershipResponse>, ProblemHttpResult>> Accept(
        AcceptInvitationRequest request, Caller caller, InvitationService invitations, CancellationToken ct)
    {
        if (caller.Kind != CallerKind.User)
            return OperationError.Forbidden("user_required", "Only a signed-in person can accept an invitation; use an access token.").ToProblem();
        var result = await invitations.AcceptAsync(caller.ActorId, request.Token, caller.Client, ct);
        if (!result.Succeeded)
            return result.Error.ToProblem();
        var membership = result.Value;
        return TypedResults.Created($"/api/v1/members/{caller.ActorId}",
            new InvitationMembershipResponse(membership.OrganizationId, membership.OrganizationName, caller.ActorId, membership.Role));
    }
}

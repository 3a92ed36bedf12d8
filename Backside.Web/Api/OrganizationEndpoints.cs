using Backside.Core.ApiKeys;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Web.Authentication;
using Backside.Web.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Backside.Web.Api;

/// <summary>The caller's organization (read, rename, key policies, hand over, delete), and making a new team organization.</summary>
public static class OrganizationEndpoints
{
    public static IEndpointRouteBuilder MapOrganizationEndpoints(this IEndpointRouteBuilder api)
    {
        // Making one is open to any signed-in person (Core refuses keys): no scope names it, the base policy applies.
        api.MapPost("/organizations", Create).WithTags("Organization")
            .WithName("createOrganization").WithSummary("Create a team organization")
            .WithDescription("Creates a team organization with the signed-in person as its Owner. Access tokens only: an API key acts inside its organization, never beside it (403 `user_required`). The answer's `Location` is `/api/v1/organization`, which an access token issued for the new organization reads.");

        var organization = api.MapGroup("/organization").WithTags("Organization");
        organization.MapGet("/", Get).RequireScope(Scopes.OrganizationRead)
            .WithName("getOrganization").WithSummary("Get the organization")
            .WithDescription("The caller's organization: its name, kind, plan with the plan's limits, key policies, and the caller's role (null for a key).");
        organization.MapPatch("/", Update).RequireScope(Scopes.OrganizationWrite)
            .WithName("updateOrganization").WithSummary("Change the organization")
            .WithDescription("Renames the organization or sets its key policies; only the fields sent change. Needs the `manage_organization` right (Owner, Admin, or a live key with `organization:write`). The plan is not writable here: platform operators change it.");
        organization.MapDelete("/", Delete).RequireScope(Scopes.OrganizationWrite).TakesNoBody()
            .WithName("deleteOrganization").WithSummary("Delete the organization")
            .WithDescription("Deletes a team organization for good: every key in it is revoked first, then it goes with its members, invitations, data and audit log. Owners only, with an access token (`delete_organization`); a personal organization cannot be deleted (409 `personal_organization`).");
        organization.MapPost("/transfer-ownership", Transfer).RequireScope(Scopes.OrganizationWrite)
            .WithName("transferOwnership").WithSummary("Transfer ownership")
            .WithDescription("Makes another member an Owner and the caller, an Owner, an Admin. Owners only, with an access token (`transfer_ownership`); the member must belong to the organization (404 otherwise).");
        return api;
    }

    static async Task<Results<Created<OrganizationResponse>, ProblemHttpResult>> Create(
        CreateOrganizationRequest request, Caller caller, OrganizationService organizations, OrganizationSettingsService settings, CancellationToken ct)
    {
        var created = await organizations.CreateTeamAsync(caller, request.Name, ct);
        if (!created.Succeeded)
            return created.Error.ToProblem();
        var owner = Caller.ForMember(created.Value, caller.ActorId, caller.Client);
        var details = await settings.GetAsync(owner, ct);
        return details.Succeeded
            ? TypedResults.Created("/api/v1/organization", OrganizationResponse.From(details.Value))
            : details.Error.ToProblem();
    }

    static async Task<Results<Ok<OrganizationResponse>, ProblemHttpResult>> Get(
        Caller caller, OrganizationSettingsService settings, CancellationToken ct)
    {
        var result = await settings.GetAsync(caller, ct);
        return result.Succeeded ? TypedResults.Ok(OrganizationResponse.From(result.Value)) : result.Error.ToProblem();
    }

    static async Task<Results<Ok<OrganizationResponse>, ProblemHttpResult>> Update(
        UpdateOrganizationRequest request, Caller caller, OrganizationSettingsService settings, CancellationToken ct)
    {
        var result = await settings.UpdateAsync(caller, request.ToCommand(), ct);
        return result.Succeeded ? TypedResults.Ok(OrganizationResponse.From(result.Value)) : result.Error.ToProblem();
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        Caller caller, OrganizationSettingsService settings, CancellationToken ct)
    {
        var result = await settings.DeleteAsync(caller, ct);
        return result.Succeeded ? TypedResults.NoContent() : result.Error.ToProblem();
    }

    static async Task<Results<Ok<MemberResponse>, ProblemHttpResult>> Transfer(
        TransferOwnershipRequest request, Caller caller, MemberService members, CancellationToken ct) =>
        MemberEndpoints.MemberResult(await members.TransferOwnershipAsync(caller, request.UserId, ct));
}

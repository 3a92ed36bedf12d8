using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Backside.Core.ApiKeys;
using Backside.Core.Audit;
using Backside.Core.Common;
using Backside.Core.Identity;
using Backside.Web.Authentication;
using Backside.Web.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Backside.Web.Api;

public sealed record AuditEventListParameters(
    [FromQuery(Name = "key_id")][property: Description("Only the events of this key.")] string? KeyId,
    [FromQuery(Name = "limit")][property: Range(1, CursorPaging.MaxLimit), Description("Page size; 10 by default.")] int? Limit,
    [FromQuery(Name = "starting_after")][property: Description("The id of the last event of the previous page.")] string? StartingAfter);

public sealed record AuditActor([property: AllowedValues(AuditActorTypes.User, AuditActorTypes.ApiKey, AuditActorTypes.Wallet)] string Type, string Id);

public sealed record AuditEventResponse(
    string Id,
    long Sequence,
    string Action,
    AuditActor Actor,
    string? ApiKeyId,
    bool Livemode,
    string? IpAddress,
    string? UserAgent,
    DateTimeOffset OccurredAt,
    [property: Description("Each changed field with its value before and after.")] JsonObject Changes,
    string PreviousHash,
    string Hash)
{
    [JsonPropertyOrder(-1)]
    public string Object => "audit_event";

    public static AuditEventResponse From(AuditEvent e) => new(
        e.Id, e.Sequence, e.Action, new AuditActor(e.ActorType, e.ActorId), e.ApiKeyId, e.Livemode, e.IpAddress, e.UserAgent,
        e.OccurredAt, JsonNode.Parse(e.Changes)!.AsObject(), Convert.ToHexStringLower(e.PreviousHash), Convert.ToHexStringLower(e.Hash));
}

public static class AuditEventEndpoints
{
    public static IEndpointRouteBuilder MapAuditEventEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGroup("/audit-events").WithTags("Audit log")
            .MapGet("/", List).RequireScope(Scopes.AuditRead)
            .WithName("listAuditEvents").WithSummary("List audit events")
            .WithDescription("The organization's audit log, newest first, with cursor paging: every change to a key, who made it, from where, and each changed field before and after.");
        return api;
    }

    static async Task<Results<Ok<ListResponse<AuditEventResponse>>, ProblemHttpResult>> List(
        [AsParameters] AuditEventListParameters parameters, Caller caller, AuditTrail audit, CancellationToken ct)
    {
        var result = await audit.ListAsync(caller, parameters.KeyId, parameters.Limit, parameters.StartingAfter, ct);
        return result.Succeeded
            ? TypedResults.Ok(new ListResponse<AuditEventResponse>(result.Value.Data.Select(AuditEventResponse.From).ToList(), result.Value.HasMore))
            : result.Error.ToProblem();
    }
}

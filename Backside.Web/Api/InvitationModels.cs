using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Backside.Core.Common;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Microsoft.AspNetCore.Mvc;

namespace Backside.Web.Api;

public sealed record CreateInvitationRequest(
    [property: Required, StringLength(EmailRules.MaxLength, MinimumLength = 1), Description("The address to invite; the link works only for an account with this address, confirmed.")]
    string? Email = null,
    [property: Required, StringLength(16, MinimumLength = 1), Description("The role the invitee gets on accepting: `owner`, `admin`, `developer` or `viewer`. Inviting an Owner takes an Owner.")]
    string? Role = null);

public sealed record AcceptInvitationRequest(
    [property: Required, StringLength(InvitationToken.Length, MinimumLength = InvitationToken.Length), Description("The `token` of the invitation link's query.")]
    string? Token = null);

public sealed record InvitationListParameters(
    [FromQuery(Name = "status")][property: AllowedValues(InvitationListParameters.PendingStatus, InvitationListParameters.AllStatus), Description("`pending` (the default): those that can still be accepted; `all`: also the accepted, revoked and expired.")]
    string? Status,
    [FromQuery(Name = "limit")][property: Range(1, CursorPaging.MaxLimit), Description("Page size; 10 by default.")]
    int? Limit,
    [FromQuery(Name = "starting_after")][property: Description("The id of the last invitation of the previous page.")]
    string? StartingAfter)
{
    public const string PendingStatus = "pending";
    public const string AllStatus = "all";
}

/// <summary>An invitation as the API shows it: never its token, which only the mail carries.</summary>
public sealed record InvitationResponse(
    string Id,
    [property: Description("The invited address, as it was typed.")]
    string Email,
    OrganizationRole Role,
    [property: AllowedValues("pending", "accepted", "revoked", "expired")]
    string Status,
    [property: Description("Who sent it: a person (`usr_…`) or an API key (`key_…`).")]
    string InvitedBy,
    [property: Description("The sender's email, when a person sent it.")]
    string? InvitedByEmail,
    DateTimeOffset CreatedAt,
    [property: Description("When the link stops working; a resend gives a new link and a new expiry.")]
    DateTimeOffset ExpiresAt,
    DateTimeOffset LastSentAt,
    DateTimeOffset? AcceptedAt,
    string? AcceptedBy,
    DateTimeOffset? RevokedAt)
{
    [JsonPropertyOrder(-1)]
    public string Object => "invitation";

    public static InvitationResponse From(Invitation i, string? invitedByEmail, DateTimeOffset now) => new(
        i.Id, i.Email, i.Role, StatusOf(i, now), i.InvitedBy, invitedByEmail, i.CreatedAt, i.ExpiresAt, i.LastSentAt,
        i.AcceptedAt, i.AcceptedBy, i.RevokedAt);

    private static string StatusOf(Invitation i, DateTimeOffset now) =>
        i.AcceptedAt is not null ? "accepted" : i.RevokedAt is not null ? "revoked" : i.ExpiresAt <= now ? "expired" : "pending";
}

/// <summary>The membership an accepted invitation made.</summary>
public sealed record InvitationMembershipResponse(string OrganizationId, string OrganizationName, string UserId, OrganizationRole Role)
{
    [JsonPropertyOrder(-1)]
    public string Object => "membership";
}

using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Backside.Core.Common;
using Backside.Core.Organizations;
using Microsoft.AspNetCore.Mvc;

namespace Backside.Web.Api;

public sealed record MemberListParameters(
    [FromQuery(Name = "limit")][property: Range(1, CursorPaging.MaxLimit), Description("Page size; 10 by default.")] int? Limit,
    [FromQuery(Name = "starting_after")][property: Description("The user id of the last member of the previous page.")] string? StartingAfter);

public sealed record ChangeMemberRoleRequest(
    [property: Required, AllowedValues("owner", "admin", "developer", "viewer"),
        Description("The new role. Making or un-making an Owner is for Owners only; the last Owner cannot be demoted.")]
    string Role);

public sealed record TransferOwnershipRequest(
    [property: Required, StringLength(64, MinimumLength = 1), Description("The member (`usr_…`) who becomes an Owner; you become an Admin.")]
    string? UserId = null);

/// <summary>A member of the caller's organization.</summary>
public sealed record MemberResponse(
    [property: Description("The person's user id (`usr_…`).")] string UserId,
    string Email,
    OrganizationRole Role,
    [property: Description("When they joined the organization.")] DateTimeOffset JoinedAt)
{
    [JsonPropertyOrder(-1)]
    public string Object => "member";

    public static MemberResponse From(MemberView member) => new(member.UserId, member.Email, member.Role, member.JoinedAt);
}

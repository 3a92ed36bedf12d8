using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Backside.Core.Common;
using Backside.Core.Contacts;
using Microsoft.AspNetCore.Mvc;

namespace Backside.Web.Api;

/// <summary>Only <c>name</c> is required; empty optional fields are stored as null.</summary>
public sealed record ContactRequest(
    [property: Required, StringLength(Contact.MaxNameLength, MinimumLength = 1)] string? Name = null,
    [property: StringLength(Contact.MaxEmailLength), Description("An email address such as ada@example.com.")] string? Email = null,
    [property: StringLength(Contact.MaxPhoneLength)] string? Phone = null,
    [property: StringLength(Contact.MaxCompanyLength)] string? Company = null)
{
    public ContactInput ToInput() => new(Name, Email, Phone, Company);
}

public sealed record PageParameters(
    [FromQuery(Name = "limit")][property: Range(1, CursorPaging.MaxLimit), Description("Page size; 10 by default.")] int? Limit,
    [FromQuery(Name = "starting_after")][property: Description("The id of the last item of the previous page.")] string? StartingAfter);

public sealed record ContactResponse(
    string Id,
    string Name,
    string? Email,
    string? Phone,
    string? Company,
    bool Livemode,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    [JsonPropertyOrder(-1)]
    public string Object => "contact";

    public static ContactResponse From(Contact contact) => new(
        contact.Id, contact.Name, contact.Email, contact.Phone, contact.Company, contact.Livemode, contact.CreatedAt, contact.UpdatedAt);
}

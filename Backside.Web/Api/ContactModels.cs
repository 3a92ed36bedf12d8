using System.Text.Json.Serialization;
using Backside.Core.Contacts;
using Microsoft.AspNetCore.Mvc;

namespace Backside.Web.Api;

public sealed record ContactRequest(string? Name, string? Email, string? Phone, string? Company)
{
    public ContactInput ToInput() => new(Name, Email, Phone, Company);
}

public sealed record PageParameters(
    [FromQuery] int? Limit,
    [FromQuery(Name = "starting_after")] string? StartingAfter);

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

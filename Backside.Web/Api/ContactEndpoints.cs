using Backside.Core.ApiKeys;
using Backside.Core.Contacts;
using Backside.Core.Identity;
using Backside.Web.Authentication;
using Backside.Web.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Backside.Web.Api;

/// <summary>The sample business resource: an organization's contacts, separate for live and test keys.</summary>
public static class ContactEndpoints
{
    public static IEndpointRouteBuilder MapContactEndpoints(this IEndpointRouteBuilder api)
    {
        var contacts = api.MapGroup("/contacts").WithTags("Contacts");
        contacts.MapGet("/", List).RequireScope(Scopes.ContactsRead)
            .WithName("listContacts").WithSummary("List contacts")
            .WithDescription("The organization's contacts in the caller's mode (live or test), newest first, with cursor paging. Priced: without credentials it answers 402 with x402 payment options.");
        contacts.MapPost("/", Create).RequireScope(Scopes.ContactsWrite)
            .WithName("createContact").WithSummary("Create a contact")
            .WithDescription("Creates a contact; only `name` is required.");
        contacts.MapGet("/{id}", Get).RequireScope(Scopes.ContactsRead)
            .WithName("getContact").WithSummary("Get a contact")
            .WithDescription("One contact of the caller's organization and mode.");
        contacts.MapPut("/{id}", Replace).RequireScope(Scopes.ContactsWrite)
            .WithName("replaceContact").WithSummary("Replace a contact")
            .WithDescription("Replaces every field; an optional field left out becomes empty.");
        contacts.MapDelete("/{id}", Delete).RequireScope(Scopes.ContactsWrite).TakesNoBody()
            .WithName("deleteContact").WithSummary("Delete a contact")
            .WithDescription("Deletes the contact for good.");
        return api;
    }

    static async Task<Results<Ok<ListResponse<ContactResponse>>, ProblemHttpResult>> List(
        [AsParameters] PageParameters page, Caller caller, ContactService contacts, CancellationToken ct)
    {
        var result = await contacts.ListAsync(caller, page.Limit, page.StartingAfter, ct);
        return result.Succeeded
            ? TypedResults.Ok(new ListResponse<ContactResponse>(result.Value.Data.Select(ContactResponse.From).ToList(), result.Value.HasMore))
            : result.Error.ToProblem();
    }

    static async Task<Results<Created<ContactResponse>, ProblemHttpResult>> Create(
        ContactRequest request, Caller caller, ContactService contacts, CancellationToken ct)
    {
        var result = await contacts.CreateAsync(caller, request.ToInput(), ct);
        return result.Succeeded
            ? TypedResults.Created($"/api/v1/contacts/{result.Value.Id}", ContactResponse.From(result.Value))
            : result.Error.ToProblem();
    }

    static async Task<Results<Ok<ContactResponse>, ProblemHttpResult>> Get(
        string id, Caller caller, ContactService contacts, CancellationToken ct)
    {
        var result = await contacts.GetAsync(caller, id, ct);
        return result.Succeeded ? TypedResults.Ok(ContactResponse.From(result.Value)) : result.Error.ToProblem();
    }

    static async Task<Results<Ok<ContactResponse>, ProblemHttpResult>> Replace(
        string id, ContactRequest request, Caller caller, ContactService contacts, CancellationToken ct)
    {
        var result = await contacts.ReplaceAsync(caller, id, request.ToInput(), ct);
        return result.Succeeded ? TypedResults.Ok(ContactResponse.From(result.Value)) : result.Error.ToProblem();
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        string id, Caller caller, ContactService contacts, CancellationToken ct)
    {
        var result = await contacts.DeleteAsync(caller, id, ct);
        return result.Succeeded ? TypedResults.NoContent() : result.Error.ToProblem();
    }
}

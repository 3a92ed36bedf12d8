using System.Net.Mail;
using Backside.Core.ApiKeys;
using Backside.Core.Common;
using Backside.Core.Data;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Microsoft.EntityFrameworkCore;

namespace Backside.Core.Contacts;

/// <summary>Contacts of the caller's organization and mode: a test key never sees live contacts, nor org A's key org B's.</summary>
public sealed class ContactService(BacksideDbContext db, TimeProvider time)
{
    public async Task<OperationResult<CursorPage<Contact>>> ListAsync(Caller caller, int? limit, string? startingAfter, CancellationToken ct = default)
    {
        if (!caller.Scopes.Allows(Scopes.ContactsRead))
            return OperationError.InsufficientScope(Scopes.ContactsRead);
        var errors = new ValidationErrors();
        CursorPaging.Validate(errors, limit, startingAfter, EntityId.ContactPrefix);
        if (errors.Any)
            return errors.ToError();
        return await db.Contacts.VisibleTo(caller).AsNoTracking().ToCursorPageAsync(limit, startingAfter, ct);
    }

    public async Task<OperationResult<Contact>> GetAsync(Caller caller, string id, CancellationToken ct = default)
    {
        if (!caller.Scopes.Allows(Scopes.ContactsRead))
            return OperationError.InsufficientScope(Scopes.ContactsRead);
        return await FindAsync(caller, id, ct) is { } contact ? contact : OperationError.NotFound("contact");
    }

    public async Task<OperationResult<Contact>> CreateAsync(Caller caller, ContactInput input, CancellationToken ct = default)
    {
        if (await RefuseWriteAsync(caller, ct) is { } refused)
            return refused;
        var errors = new ValidationErrors();
        var fields = Validate(errors, input);
        if (errors.Any)
            return errors.ToError();

        var now = time.GetUtcNow();
        var contact = new Contact
        {
            Id = EntityId.New(EntityId.ContactPrefix, time),
            OrganizationId = caller.OrganizationId,
            Livemode = caller.Livemode,
            Name = fields.Name!,
            CreatedAt = now,
        };
        Apply(contact, fields, now);
        db.Contacts.Add(contact);
        await db.SaveChangesAsync(ct);
        return contact;
    }

    /// <summary>PUT semantics: every field is replaced; an omitted optional field becomes empty.</summary>
    public async Task<OperationResult<Contact>> ReplaceAsync(Caller caller, string id, ContactInput input, CancellationToken ct = default)
    {
        if (await RefuseWriteAsync(caller, ct) is { } refused)
            return refused;
        var contact = await FindAsync(caller, id, ct);
        if (contact is null)
            return OperationError.NotFound("contact");
        var errors = new ValidationErrors();
        var fields = Validate(errors, input);
        if (errors.Any)
            return errors.ToError();

        Apply(contact, fields, time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return contact;
    }

    public async Task<OperationResult<Contact>> DeleteAsync(Caller caller, string id, CancellationToken ct = default)
    {
        if (await RefuseWriteAsync(caller, ct) is { } refused)
            return refused;
        var contact = await FindAsync(caller, id, ct);
        if (contact is null)
            return OperationError.NotFound("contact");
        db.Contacts.Remove(contact);
        await db.SaveChangesAsync(ct);
        return contact;
    }

    /// <summary>
    /// A write needs <c>contacts:write</c>, and a person also their role's right to write data of the mode they act
    /// in, read fresh (a role changed a moment ago applies now, not when their access token expires). People act
    /// live, so a Developer is refused; keys have no role, their scope and mode are their whole power.
    /// </summary>
    private async Task<OperationError?> RefuseWriteAsync(Caller caller, CancellationToken ct)
    {
        if (!caller.Scopes.Allows(Scopes.ContactsWrite))
            return OperationError.InsufficientScope(Scopes.ContactsWrite);
        if (caller.Kind != CallerKind.User)
            return null;
        var role = await db.OrganizationMembers
            .Where(m => m.OrganizationId == caller.OrganizationId && m.UserId == caller.ActorId)
            .Select(m => (OrganizationRole?)m.Role)
            .SingleOrDefaultAsync(ct);
        if (role is null)
            return OperationError.Unauthenticated("organization_membership_ended", "You no longer belong to this organization.");
        var right = OrganizationRoles.WriteData(caller.Livemode);
        return role.Value.Grants(right)
            ? null
            : OperationError.MissingRight(right.Name(), $"A {role.Value.Name()} cannot change {(caller.Livemode ? "live" : "test")} contacts.");
    }

    private Task<Contact?> FindAsync(Caller caller, string id, CancellationToken ct) =>
        EntityId.HasShape(id, EntityId.ContactPrefix)
            ? db.Contacts.VisibleTo(caller).SingleOrDefaultAsync(c => c.Id == id, ct)
            : Task.FromResult<Contact?>(null);

    private static ContactInput Validate(ValidationErrors errors, ContactInput input)
    {
        var email = errors.OptionalText("email", input.Email, Contact.MaxEmailLength);
        if (email is not null && !IsEmailAddress(email))
            errors.Add("email", "email must be an email address such as ada@example.com.");
        return new ContactInput(
            errors.RequireText("name", input.Name, Contact.MaxNameLength),
            email,
            errors.OptionalText("phone", input.Phone, Contact.MaxPhoneLength),
            errors.OptionalText("company", input.Company, Contact.MaxCompanyLength));
    }

    private static bool IsEmailAddress(string value) =>
        MailAddress.TryCreate(value, out var address) && address.Address == value && value.Contains('@');

    private static void Apply(Contact contact, ContactInput fields, DateTimeOffset now)
    {
        contact.Name = fields.Name!;
        contact.Email = fields.Email;
        contact.Phone = fields.Phone;
        contact.Company = fields.Company;
        contact.UpdatedAt = now;
    }
}

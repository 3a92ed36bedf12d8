using Backside.Core.Data;
using Backside.Core.Organizations;
using Microsoft.AspNetCore.Identity;

namespace Backside.Core.Identity;

/// <summary>Creates an account and its personal organization together: either both exist afterwards or neither does.</summary>
public sealed class UserRegistration(BacksideDbContext db, UserManager<ApplicationUser> users, OrganizationService organizations)
{
    public async Task<IdentityResult> RegisterAsync(ApplicationUser user, string password, CancellationToken ct = default)
    {
        // Identity's column lengths are not enforced by SQLite: a megabyte email would be stored four times over.
        if (EmailRules.IsTooLong(user.Email) || EmailRules.IsTooLong(user.UserName))
            return IdentityResult.Failed(users.ErrorDescriber.InvalidEmail(user.Email?[..Math.Min(user.Email.Length, 40)] + "…"));
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
            return result;

        await organizations.EnsurePersonalOrganizationAsync(user, ct);
        await transaction.CommitAsync(ct);
        return result;
    }
}

using Backside.Core.Data;
using Backside.Core.Organizations;
using Microsoft.AspNetCore.Identity;

namespace Backside.Core.Identity;

/// <summary>Creates an account and its personal organization together: either both exist afterwards or neither does.</summary>
public sealed class UserRegistration(
    BacksideDbContext db, UserManager<ApplicationUser> users, OrganizationService organizations, InvitationService invitations)
{
    public Task<IdentityResult> RegisterAsync(ApplicationUser user, string password, CancellationToken ct = default) =>
        RegisterAsync(user, password, invitationToken: null, ct);

    /// <summary>
    /// With <paramref name="invitationToken"/> from an invitation link: when it is a pending invitation for exactly the
    /// address registered, the address is confirmed at once (the link was mailed to it, so following it proved the
    /// mailbox, as the confirmation mail would). Any other token (unknown, used, revoked, expired, for another
    /// address) changes nothing: the account is registered unconfirmed, as without one.
    /// </summary>
    /// <remarks>Whether it was confirmed so is <c>user.EmailConfirmed</c> afterwards.</remarks>
    public async Task<IdentityResult> RegisterAsync(ApplicationUser user, string password, string? invitationToken, CancellationToken ct = default)
    {
        // Identity's column lengths are not enforced by SQLite: a megabyte email would be stored four times over.
        if (EmailRules.IsTooLong(user.Email) || EmailRules.IsTooLong(user.UserName))
            return IdentityResult.Failed(users.ErrorDescriber.InvalidEmail(user.Email?[..Math.Min(user.Email.Length, 40)] + "…"));
        if (invitationToken is not null && await invitations.IsPendingForAsync(invitationToken, user.Email, ct))
            user.EmailConfirmed = true;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
            return result;

        await organizations.EnsurePersonalOrganizationAsync(user, ct);
        await transaction.CommitAsync(ct);
        return result;
    }
}

using Backside.Core.Data;
using Backside.Core.Organizations;
using Microsoft.EntityFrameworkCore;

namespace Backside.Core.Identity;

/// <summary>
/// Who a security notice goes to. Only confirmed addresses: an unproven address may belong to someone other than
/// the account holder, and must not learn about the account's security.
/// </summary>
public sealed class SecurityNoticeRecipients(BacksideDbContext db)
{
    public Task<List<string>> ForUserAsync(string userId, CancellationToken ct = default) =>
        db.Users
            .Where(u => u.Id == userId && u.EmailConfirmed && u.Email != null)
            .Select(u => u.Email!)
            .ToListAsync(ct);

    public Task<List<string>> ForOwnersAsync(string organizationId, CancellationToken ct = default) =>
        db.OrganizationMembers
            .Where(m => m.OrganizationId == organizationId && m.Role == OrganizationRole.Owner)
            .Join(db.Users, m => m.UserId, u => u.Id, (_, u) => u)
            .Where(u => u.EmailConfirmed && u.Email != null)
            .Select(u => u.Email!)
            .ToListAsync(ct);
}

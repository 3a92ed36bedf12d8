using System.Text.Json;
using Backside.Core.Audit;
using Backside.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Backside.Tests.Security;

/// <summary>
/// Everything a write could change, read as one string: keys (but not their last use, which an accepted control
/// request may record), contacts, audit events (but not failed sign-ins, recorded by design), sessions, organizations, accounts and payments. Two equal snapshots
/// around a batch of refused requests prove none of them wrote anything, not even part of a change.
/// </summary>
public static class HostileDatabaseSnapshot
{
    public static async Task<string> TakeAsync(BacksideAppFactory app)
    {
        await using var db = app.OpenDatabase();
        var keys = await db.ApiKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => new
        {
            k.Id,
            k.Name,
            k.Status,
            k.Scopes,
            k.ExpiresAt,
            k.RateLimitPerMinute,
            k.AllowedIps,
            k.AllowedReferrers,
            k.SecretHash,
            k.PreviousSecretHash,
            k.PreviousSecretExpiresAt,
            k.RevokedAt,
            k.UpdatedAt,
            k.Version,
        }).ToListAsync();
        var contacts = await db.Contacts.AsNoTracking().OrderBy(c => c.Id)
            .Select(c => new { c.Id, c.Name, c.Email, c.Phone, c.Company, c.UpdatedAt }).ToListAsync();
        // A refused sign-in of a real account is recorded on purpose (a security event, bounded by the lockout);
        // any other event is a write a refused request must not make.
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.Action != AuditActions.SignInFailed)
            .OrderBy(e => e.Id).Select(e => e.Id).ToListAsync();
        var sessions = await db.RefreshTokens.AsNoTracking().OrderBy(t => t.Id)
            .Select(t => new { t.Id, t.UsedAt, t.RevokedAt }).ToListAsync();
        var organizations = await db.Organizations.AsNoTracking().CountAsync();
        var users = await db.Users.AsNoTracking().CountAsync();
        var payments = await db.Payments.AsNoTracking().CountAsync();
        return JsonSerializer.Serialize(new { keys, contacts, events, sessions, organizations, users, payments });
    }
}

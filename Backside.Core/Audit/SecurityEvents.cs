using Backside.Core.Data;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Backside.Core.Audit;

/// <summary>
/// Writes a person's security events (sign-ins, failed sign-ins, two-factor and password changes) to the audit chain
/// of their personal organization: the one organization that is theirs alone to begin with, so a team never reads
/// when its members sign in elsewhere, and every account has exactly one (the founder cannot leave it, nor delete
/// it). Each write runs in its own scope and <see cref="AuditedWrites"/> loop, apart from whatever the sign-in page
/// has tracked, and never fails the sign-in or change it reports: a write that cannot be made is logged instead.
/// Callers decide what is worth a row; nothing here is written for an email without an account.
/// </summary>
public sealed partial class SecurityEvents(IServiceScopeFactory scopes, ILogger<SecurityEvents> logger)
{
    public const string ViaDashboard = "dashboard";
    public const string ViaApi = "api";

    public async Task RecordAsync(string userId, string action, ClientInfo? client, ChangeSet? changes = null, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BacksideDbContext>();
        var audit = scope.ServiceProvider.GetRequiredService<AuditTrail>();
        try
        {
            if (await PersonalOrganizationAsync(db, userId, ct) is not { } organizationId)
            {
                Log.NoPersonalOrganization(logger, action, userId);
                return;
            }
            var caller = Caller.ForMember(organizationId, OrganizationRole.Owner, userId, client);
            var result = await AuditedWrites.RunAsync<bool>(db, audit, organizationId, async () =>
            {
                await audit.AppendAsync(caller, action, apiKeyId: null, livemode: true, changes ?? new ChangeSet(), ct);
                await audit.SaveAsync(ct);
                return true;
            }, ct);
            if (result.Error is { } error)
                Log.NotWritten(logger, action, userId, error.Message);
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException && !ct.IsCancellationRequested)
        {
            // A chain whose head is gone (tampering, reported by Verify) or a database fault: the sign-in stands.
            Log.NotWritten(logger, action, userId, ex.Message);
        }
    }

    /// <summary>The personal organization the person founded: its first member, as <c>MemberService</c> tells a founder.</summary>
    private static Task<string?> PersonalOrganizationAsync(BacksideDbContext db, string userId, CancellationToken ct) =>
        db.OrganizationMembers
            .Where(m => m.UserId == userId)
            .Join(db.Organizations.Where(o => o.Kind == OrganizationKind.Personal), m => m.OrganizationId, o => o.Id, (m, o) => m)
            .Where(m => db.OrganizationMembers.Where(f => f.OrganizationId == m.OrganizationId)
                .OrderBy(f => f.CreatedAt).ThenBy(f => f.UserId).Select(f => f.UserId).First() == userId)
            .OrderBy(m => m.CreatedAt)
            .Select(m => m.OrganizationId)
            .FirstOrDefaultAsync(ct);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Security event {Action} for {UserId} not recorded: the account has no personal organization.")]
        public static partial void NoPersonalOrganization(ILogger logger, string action, string userId);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Security event {Action} for {UserId} could not be written to the audit log: {Reason}")]
        public static partial void NotWritten(ILogger logger, string action, string userId, string reason);
    }
}

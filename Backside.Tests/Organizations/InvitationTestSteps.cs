using Backside.Core.ApiKeys;
using Backside.Core.Common;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Backside.Tests.Organizations;

/// <summary>Arranging invitations: people in roles of one organization, invitations made through the service.</summary>
public static class InvitationTestSteps
{
    public static string NewEmail() => $"invitee-{Guid.NewGuid():N}@example.com";

    /// <summary>A new confirmed person who belongs to <paramref name="organizationOf"/>'s organization with <paramref name="role"/>.</summary>
    public static async Task<Caller> JoinAsync(this BacksideAppFactory app, Caller organizationOf, OrganizationRole role, string? email = null)
    {
        var person = await app.CreateMemberAsync(email ?? NewEmail());
        await using var db = app.OpenDatabase();
        db.OrganizationMembers.Add(new OrganizationMember
        {
            OrganizationId = organizationOf.OrganizationId,
            UserId = person.ActorId,
            Role = role,
            CreatedAt = app.Time.GetUtcNow(),
        });
        await db.SaveChangesAsync();
        return Caller.ForMember(organizationOf.OrganizationId, role, person.ActorId);
    }

    public static Task<T> InvitationsAsync<T>(this BacksideAppFactory app, Func<InvitationService, Task<T>> action) =>
        app.WithServiceAsync(action);

    public static async Task<CreatedInvitation> InviteAsync(this BacksideAppFactory app, Caller caller, string email, string role = "developer")
    {
        var result = await app.InvitationsAsync(s => s.CreateAsync(caller, email, role));
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Value!;
    }

    public static Task<OperationResult<Membership>> AcceptAsync(this BacksideAppFactory app, Caller person, string? token) =>
        app.InvitationsAsync(s => s.AcceptAsync(person.ActorId, token));

    public static async Task<Invitation> StoredInvitationAsync(this BacksideAppFactory app, string id)
    {
        await using var db = app.OpenDatabase();
        return await db.Invitations.AsNoTracking().SingleAsync(i => i.Id == id);
    }

    public static async Task<List<string>> AuditActionsAsync(this BacksideAppFactory app, string organizationId)
    {
        await using var db = app.OpenDatabase();
        return await db.AuditEvents.Where(e => e.OrganizationId == organizationId).OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync();
    }

    /// <summary>A key caller of the organization, as the key rail builds it.</summary>
    public static async Task<Caller> KeyCallerAsync(this BacksideAppFactory app, Caller owner, string environment, params string[] scopes)
    {
        var key = await app.CreateKeyAsync(owner, scopes, environment);
        await using var db = app.OpenDatabase();
        var stored = await db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == key.Key.Id);
        return Caller.ForKey(new ApiKeyCredential(stored.Id, stored.OrganizationId, stored.Livemode, stored.Scopes, stored.Status,
            stored.ExpiresAt, stored.RateLimitPerMinute, stored.AllowedIps, stored.AllowedReferrers, stored.SecretHash, null,
            PlanOptions.DefaultPlanName, 600, 6000));
    }
}

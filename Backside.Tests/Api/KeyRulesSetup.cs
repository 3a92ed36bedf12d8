using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Backside.Tests.Api;

/// <summary>Arranging teams for the key and data rules: members with a role, policies, two-factor, departures.</summary>
public static class KeyRulesSetup
{
    /// <summary>A new person who joins <paramref name="owner"/>'s organization with <paramref name="role"/>, as the Caller they would act as there.</summary>
    public static async Task<Caller> AddMemberAsync(this BacksideAppFactory app, Caller owner, OrganizationRole role)
    {
        var person = await app.CreateMemberAsync();
        await using var db = app.OpenDatabase();
        db.OrganizationMembers.Add(new OrganizationMember
        {
            OrganizationId = owner.OrganizationId,
            UserId = person.ActorId,
            Role = role,
            CreatedAt = app.Time.GetUtcNow(),
        });
        await db.SaveChangesAsync();
        return Caller.ForMember(owner.OrganizationId, role, person.ActorId);
    }

    public static async Task RemoveMemberAsync(this BacksideAppFactory app, Caller member)
    {
        await using var db = app.OpenDatabase();
        await db.OrganizationMembers.Where(m => m.OrganizationId == member.OrganizationId && m.UserId == member.ActorId).ExecuteDeleteAsync();
    }

    public static async Task SetRoleAsync(this BacksideAppFactory app, Caller member, OrganizationRole role)
    {
        await using var db = app.OpenDatabase();
        await db.OrganizationMembers.Where(m => m.OrganizationId == member.OrganizationId && m.UserId == member.ActorId)
            .ExecuteUpdateAsync(m => m.SetProperty(x => x.Role, role));
    }

    public static async Task SetPolicyAsync(this BacksideAppFactory app, string organizationId, Action<Organization> change)
    {
        await using var db = app.OpenDatabase();
        var organization = await db.Organizations.SingleAsync(o => o.Id == organizationId);
        change(organization);
        await db.SaveChangesAsync();
    }

    public static async Task SetTwoFactorAsync(this BacksideAppFactory app, string userId, bool enabled)
    {
        await using var db = app.OpenDatabase();
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(x => x.TwoFactorEnabled, enabled));
    }
}

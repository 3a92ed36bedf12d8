using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Web.Authentication.Jwt;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Infrastructure;

/// <summary>A person in a team organization: their user id, email, and the Caller the dashboard would build for them there.</summary>
public sealed record TeamMember(string UserId, string Email, OrganizationRole Role, Caller Caller);

/// <summary>A team organization made by its first Owner, with more members added at the roles asked for.</summary>
public sealed record Team(string OrganizationId, string Name, TeamMember Owner, IReadOnlyList<TeamMember> Others)
{
    /// <summary>The first other member with <paramref name="role"/>.</summary>
    public TeamMember With(OrganizationRole role) => Others.First(m => m.Role == role);

    public IEnumerable<TeamMember> Everyone => [Owner, .. Others];
}

public static class Teams
{
    /// <summary>
    /// A team organization: its Owner creates it (as a person would), then each role in <paramref name="roles"/> gets a
    /// new person added to it directly (the invitations part adds people through links; these tests are about what
    /// members may do once in). Everyone also keeps their personal organization.
    /// </summary>
    public static async Task<Team> CreateTeamAsync(this BacksideAppFactory app, params OrganizationRole[] roles)
    {
        var founder = await app.CreateMemberAsync();
        var name = $"Team {Guid.NewGuid():N}"[..13];
        var created = await app.WithServiceAsync<OrganizationService, Backside.Core.Common.OperationResult<Membership>>(
            organizations => organizations.CreateTeamAsync(founder, name));
        Assert.True(created.Succeeded, created.Error?.Message);
        var organizationId = created.Value!.OrganizationId;
        var owner = new TeamMember(founder.ActorId, await EmailOfAsync(app, founder.ActorId), OrganizationRole.Owner,
            Caller.ForMember(organizationId, OrganizationRole.Owner, founder.ActorId));

        var others = new List<TeamMember>();
        foreach (var role in roles)
        {
            var person = await app.CreateMemberAsync();
            await using (var db = app.OpenDatabase())
            {
                db.OrganizationMembers.Add(new OrganizationMember
                {
                    OrganizationId = organizationId,
                    UserId = person.ActorId,
                    Role = role,
                    CreatedAt = app.Time.GetUtcNow(),
                });
                await db.SaveChangesAsync();
            }
            app.Time.Advance(TimeSpan.FromMilliseconds(1));
            others.Add(new TeamMember(person.ActorId, await EmailOfAsync(app, person.ActorId), role, Caller.ForMember(organizationId, role, person.ActorId)));
        }
        return new Team(organizationId, name, owner, others);
    }

    /// <summary>A client sending an access token for <paramref name="member"/> in the team (as login with its organization would issue).</summary>
    public static HttpClient ClientFor(this BacksideAppFactory app, Team team, TeamMember member)
    {
        string? stamp;
        using (var db = app.OpenDatabase())
            stamp = db.Users.Where(u => u.Id == member.UserId).Select(u => u.SecurityStamp).Single();
        var token = app.Services.GetRequiredService<AccessTokenIssuer>()
            .Issue(member.UserId, new Membership(team.OrganizationId, team.Name, member.Role), stamp);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    private static async Task<string> EmailOfAsync(BacksideAppFactory app, string userId)
    {
        await using var db = app.OpenDatabase();
        return db.Users.Single(u => u.Id == userId).Email!;
    }
}

using Backside.Core.Common;
using Backside.Core.Organizations;
using Backside.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Organizations;

/// <summary>The role × operation matrix of members and organization settings, through the Core services the API and dashboard call.</summary>
public class MemberRulesTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    public enum Operation { List, ChangeRole, PromoteToOwner, Remove, RemoveOwner, Leave, Transfer, UpdateOrganization, DeleteOrganization }

    /// <summary>What each role may do: null when allowed, otherwise the right <c>insufficient_role</c> names.</summary>
    private static readonly Dictionary<OrganizationRole, Dictionary<Operation, string?>> Matrix = new()
    {
        [OrganizationRole.Owner] = Enum.GetValues<Operation>().ToDictionary(o => o, _ => (string?)null),
        [OrganizationRole.Admin] = new()
        {
            [Operation.List] = null,
            [Operation.ChangeRole] = null,
            [Operation.PromoteToOwner] = "manage_owners",
            [Operation.Remove] = null,
            [Operation.RemoveOwner] = "manage_owners",
            [Operation.Leave] = null,
            [Operation.Transfer] = "transfer_ownership",
            [Operation.UpdateOrganization] = null,
            [Operation.DeleteOrganization] = "delete_organization",
        },
        [OrganizationRole.Developer] = ReadOnlyRole(),
        [OrganizationRole.Viewer] = ReadOnlyRole(),
    };

    private static Dictionary<Operation, string?> ReadOnlyRole() => new()
    {
        [Operation.List] = null,
        [Operation.ChangeRole] = "manage_members",
        [Operation.PromoteToOwner] = "manage_members",
        [Operation.Remove] = "manage_members",
        [Operation.RemoveOwner] = "manage_members",
        [Operation.Leave] = null,
        [Operation.Transfer] = "transfer_ownership",
        [Operation.UpdateOrganization] = "manage_organization",
        [Operation.DeleteOrganization] = "delete_organization",
    };

    public static TheoryData<OrganizationRole, Operation> Cases()
    {
        var data = new TheoryData<OrganizationRole, Operation>();
        foreach (var role in Enum.GetValues<OrganizationRole>())
            foreach (var operation in Enum.GetValues<Operation>())
                data.Add(role, operation);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_role_may_do_what_the_matrix_grants_and_is_refused_the_rest_naming_the_right(OrganizationRole role, Operation operation)
    {
        // A second Owner (so leaving and demoting never meet the last-owner rule), one of each other role, and targets.
        var team = await app.CreateTeamAsync(
            OrganizationRole.Owner, OrganizationRole.Admin, OrganizationRole.Developer, OrganizationRole.Viewer,
            OrganizationRole.Developer, OrganizationRole.Viewer);
        var actor = role == OrganizationRole.Owner ? team.Owner : team.With(role);
        var developerTarget = team.Others.Last(m => m.Role == OrganizationRole.Developer);
        var ownerTarget = team.With(OrganizationRole.Owner);
        var viewerTarget = team.Others.Last(m => m.Role == OrganizationRole.Viewer);

        var error = await RunAsync(operation, actor, developerTarget, ownerTarget, viewerTarget);

        var expected = Matrix[role][operation];
        if (expected is null)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.NotNull(error);
            Assert.Equal((ErrorKind.Forbidden, "insufficient_role", expected), (error.Kind, error.Code, error.RequiredRight));
        }
        await AssertStateAsync(team, operation, actor, developerTarget, ownerTarget, viewerTarget, allowed: expected is null);
    }

    private async Task<OperationError?> RunAsync(Operation operation, TeamMember actor, TeamMember developer, TeamMember owner, TeamMember viewer)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var members = scope.ServiceProvider.GetRequiredService<MemberService>();
        var settings = scope.ServiceProvider.GetRequiredService<OrganizationSettingsService>();
        var caller = actor.Caller;
        return operation switch
        {
            Operation.List => (await members.ListAsync(caller, null, null)).Error,
            Operation.ChangeRole => (await members.ChangeRoleAsync(caller, developer.UserId, "viewer")).Error,
            Operation.PromoteToOwner => (await members.ChangeRoleAsync(caller, developer.UserId, "owner")).Error,
            Operation.Remove => (await members.RemoveAsync(caller, developer.UserId)).Error,
            Operation.RemoveOwner => (await members.RemoveAsync(caller, owner.UserId)).Error,
            Operation.Leave => (await members.RemoveAsync(caller, actor.UserId)).Error,
            Operation.Transfer => (await members.TransferOwnershipAsync(caller, viewer.UserId)).Error,
            Operation.UpdateOrganization => (await settings.UpdateAsync(caller, new UpdateOrganizationCommand { Name = "Renamed" })).Error,
            Operation.DeleteOrganization => (await settings.DeleteAsync(caller)).Error,
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        };
    }

    /// <summary>An allowed operation did what it says; a refused one changed nothing.</summary>
    private async Task AssertStateAsync(
        Team team, Operation operation, TeamMember actor, TeamMember developer, TeamMember owner, TeamMember viewer, bool allowed)
    {
        await using var db = app.OpenDatabase();
        var roles = await db.OrganizationMembers.Where(m => m.OrganizationId == team.OrganizationId).ToDictionaryAsync(m => m.UserId, m => m.Role);
        var organization = await db.Organizations.SingleOrDefaultAsync(o => o.Id == team.OrganizationId);
        if (!allowed)
        {
            Assert.Equal(team.Everyone.ToDictionary(m => m.UserId, m => m.Role), roles);
            Assert.Equal(team.Name, organization?.Name);
            return;
        }
        switch (operation)
        {
            case Operation.ChangeRole:
                Assert.Equal(OrganizationRole.Viewer, roles[developer.UserId]);
                break;
            case Operation.PromoteToOwner:
                Assert.Equal(OrganizationRole.Owner, roles[developer.UserId]);
                break;
            case Operation.Remove:
                Assert.DoesNotContain(developer.UserId, roles.Keys);
                break;
            case Operation.RemoveOwner:
                Assert.DoesNotContain(owner.UserId, roles.Keys);
                break;
            case Operation.Leave:
                Assert.DoesNotContain(actor.UserId, roles.Keys);
                break;
            case Operation.Transfer:
                Assert.Equal((OrganizationRole.Owner, OrganizationRole.Admin), (roles[viewer.UserId], roles[actor.UserId]));
                break;
            case Operation.UpdateOrganization:
                Assert.Equal("Renamed", organization?.Name);
                break;
            case Operation.DeleteOrganization:
                Assert.Null(organization);
                Assert.Empty(roles);
                break;
        }
    }
}

using Backside.Core.ApiKeys;

namespace Backside.Core.Organizations;

/// <summary>
/// The role × right matrix, and the names roles and rights have on the wire. Core services ask <see cref="Grants"/>;
/// the dashboard asks it too, to hide what a role cannot do.
/// </summary>
public static class OrganizationRoles
{
    private static readonly OrganizationRight[] AdminRights =
    [
        OrganizationRight.ManageTestKeys, OrganizationRight.ManageLiveKeys,
        OrganizationRight.WriteTestData, OrganizationRight.WriteLiveData,
        OrganizationRight.ManageMembers, OrganizationRight.ManageOrganization,
    ];

    private static readonly OrganizationRight[] DeveloperRights = [OrganizationRight.ManageTestKeys, OrganizationRight.WriteTestData];

    public static bool Grants(this OrganizationRole role, OrganizationRight right) => role switch
    {
        OrganizationRole.Owner => true,
        OrganizationRole.Admin => AdminRights.Contains(right),
        OrganizationRole.Developer => DeveloperRights.Contains(right),
        _ => false,
    };

    /// <summary>Managing keys of one mode: test keys for test, live keys for live.</summary>
    public static OrganizationRight ManageKeys(bool livemode) =>
        livemode ? OrganizationRight.ManageLiveKeys : OrganizationRight.ManageTestKeys;

    /// <summary>Writing the organization's data (contacts) of one mode.</summary>
    public static OrganizationRight WriteData(bool livemode) =>
        livemode ? OrganizationRight.WriteLiveData : OrganizationRight.WriteTestData;

    /// <summary>
    /// The scopes a person with <paramref name="role"/> holds, in any mode: the outer bound of what they may do and of
    /// the keys they may create. The right for the mode at hand is checked on top (a Developer holds
    /// <c>api-keys:write</c> for test keys, and is refused <see cref="OrganizationRight.ManageLiveKeys"/>).
    /// </summary>
    public static ScopeSet ScopesOf(OrganizationRole role) => role switch
    {
        OrganizationRole.Owner or OrganizationRole.Admin => ScopeSet.Full,
        OrganizationRole.Developer => DeveloperScopes,
        _ => ScopeSet.ReadOnly,
    };

    private static readonly ScopeSet DeveloperScopes =
        ScopeSet.Of(Scopes.All.Where(s => s is not Scopes.MembersWrite and not Scopes.OrganizationWrite));

    /// <summary>The role's name on the wire: <c>owner</c>, <c>admin</c>, <c>developer</c>, <c>viewer</c>.</summary>
    public static string Name(this OrganizationRole role) => role.ToString().ToLowerInvariant();

    public static IReadOnlyList<string> Names { get; } = Enum.GetValues<OrganizationRole>().Select(Name).ToArray();

    /// <summary>A role by its wire name in any casing, and nothing else (no numbers, no flag lists).</summary>
    public static OrganizationRole? Parse(string? value) =>
        value is null
            ? null
            : Enum.GetValues<OrganizationRole>().Select(r => (OrganizationRole?)r)
                .FirstOrDefault(r => string.Equals(r!.Value.Name(), value, StringComparison.OrdinalIgnoreCase));

    /// <summary>The right's name on the wire, as <c>required_right</c> carries it: <c>manage_live_keys</c>.</summary>
    public static string Name(this OrganizationRight right) => right switch
    {
        OrganizationRight.ManageTestKeys => "manage_test_keys",
        OrganizationRight.ManageLiveKeys => "manage_live_keys",
        OrganizationRight.WriteTestData => "write_test_data",
        OrganizationRight.WriteLiveData => "write_live_data",
        OrganizationRight.ManageMembers => "manage_members",
        OrganizationRight.ManageOwners => "manage_owners",
        OrganizationRight.ManageOrganization => "manage_organization",
        OrganizationRight.DeleteOrganization => "delete_organization",
        OrganizationRight.TransferOwnership => "transfer_ownership",
        _ => throw new ArgumentOutOfRangeException(nameof(right), right, "Unknown right."),
    };

    public static IReadOnlyList<string> RightNames { get; } = Enum.GetValues<OrganizationRight>().Select(Name).ToArray();
}

namespace Backside.Core.Organizations;

/// <summary>What a person may do in an organization; <see cref="OrganizationRoles"/> holds what each role grants.</summary>
public enum OrganizationRole
{
    /// <summary>Everything, including deleting the organization and transferring ownership.</summary>
    Owner,

    /// <summary>Keys, members (except Owners) and settings.</summary>
    Admin,

    /// <summary>Keys and data of test mode; reads live.</summary>
    Developer,

    /// <summary>Reads everything, changes nothing.</summary>
    Viewer,
}

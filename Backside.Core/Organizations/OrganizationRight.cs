namespace Backside.Core.Organizations;

/// <summary>One thing a role may do. <see cref="OrganizationRoles.Grants"/> is the one place that says which role has which.</summary>
public enum OrganizationRight
{
    ManageTestKeys,
    ManageLiveKeys,
    WriteTestData,
    WriteLiveData,

    /// <summary>Invite, remove and change the role of members who are not Owners.</summary>
    ManageMembers,

    /// <summary>Make someone an Owner, or remove or demote one.</summary>
    ManageOwners,

    /// <summary>Rename the organization and set its key policies.</summary>
    ManageOrganization,
    DeleteOrganization,
    TransferOwnership,
}

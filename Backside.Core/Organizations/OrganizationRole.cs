namespace Backside.Core.Organizations;

public enum OrganizationRole
{
    Owner,
    Admin,
    Member,
}

namespace Backside.Core.Identity;

/// <summary>An organization whose keys die with the account: the account is its only Owner.</summary>
public sealed record OrphanedKeys(string OrganizationId, string OrganizationName, int KeyCount);

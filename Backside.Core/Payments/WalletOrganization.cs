namespace Backside.Core.Payments;

/// <summary>The organization a paying wallet acts in; <see cref="Created"/> when this request made it.</summary>
public sealed record WalletOrganization(string OrganizationId, bool Created);

namespace Backside.Core.Organizations;

/// <summary>An invitation as the members page and the API list it: with the address of whoever sent it, if a person did.</summary>
public sealed record InvitationListItem(Invitation Invitation, string? InvitedByEmail);

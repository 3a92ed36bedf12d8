namespace Backside.Core.Organizations;

/// <summary>A new (or resent) invitation with the raw token of its link, which exists only here and in the mail.</summary>
public sealed record CreatedInvitation(Invitation Invitation, string Token);

using System.Diagnostics.CodeAnalysis;
using Backside.Core.Organizations;

namespace Backside.Core.Identity;

/// <summary>A refresh's outcome; when rotated, the session's person, organization, new token and security stamp.</summary>
public sealed record RefreshResult(
    RefreshOutcome Outcome, string? UserId = null, Membership? Membership = null, string? Token = null, string? SecurityStamp = null)
{
    [MemberNotNullWhen(true, nameof(UserId), nameof(Membership), nameof(Token))]
    public bool Succeeded => Outcome == RefreshOutcome.Rotated;
}

using System.Diagnostics.CodeAnalysis;
using Backside.Core.Organizations;

namespace Backside.Core.Identity;

public sealed record RefreshResult(RefreshOutcome Outcome, string? UserId = null, Membership? Membership = null, string? Token = null)
{
    [MemberNotNullWhen(true, nameof(UserId), nameof(Membership), nameof(Token))]
    public bool Succeeded => Outcome == RefreshOutcome.Rotated;
}

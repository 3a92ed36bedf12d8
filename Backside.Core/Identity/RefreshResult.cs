using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Backside.Core.ApiKeys;
using Backside.Core.Common;
using Backside.Core.Data;
using Backside.Core.Organizations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Backside.Core.Identity;

public sealed record RefreshResult(RefreshOutcome Outcome, string? UserId = null, Membership? Membership = null, string? Token = null)
{
    [MemberNotNullWhen(true, nameof(UserId), nameof(Membership), nameof(Token))]
    public bool Succeeded => Outcome == RefreshOutcome.Rotated;
}

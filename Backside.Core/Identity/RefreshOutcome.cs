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

public enum RefreshOutcome
{
    Rotated,
    Invalid,
    Expired,

    /// <summary>The token was used before, or its session was already ended (logout, theft, a security change).</summary>
    Reused,

    /// <summary>The family reached its maximum lifetime from login.</summary>
    SessionExpired,
    AccountNotFound,
    LockedOut,

    /// <summary>The user no longer belongs to the organization the session acts in.</summary>
    NotAMember,

    /// <summary>A security change to the account (password, two-factor, recovery codes, lockout) since the login.</summary>
    SessionEnded,
}

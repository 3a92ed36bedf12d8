using Backside.Core.Common;
using Microsoft.AspNetCore.Identity;

namespace Backside.Core.Identity;

/// <summary>A person who signs in to the dashboard. Ids carry a <c>usr_</c> prefix so audit trails read at a glance.</summary>
public class ApplicationUser : IdentityUser
{
    public ApplicationUser() => Id = EntityId.New(EntityId.UserPrefix);

    /// <summary>The RFC 6238 time step of the last authenticator code accepted; older and equal steps are refused.</summary>
    public long? LastTotpTimeStep { get; set; }

    /// <summary>The organization the person last chose; sign-in without an organization acts there (if still a member).</summary>
    public string? LastOrganizationId { get; set; }
}

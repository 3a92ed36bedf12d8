using Backside.Core.Organizations;

namespace Backside.Core.Identity;

public sealed record LoginResult(ApplicationUser? User, Membership? Membership, LoginFailure? Failure)
{
    public static LoginResult Failed(string code, string message, int? retryAfter = null, string? field = null) =>
        new(null, null, new LoginFailure(code, message, retryAfter, field));
}

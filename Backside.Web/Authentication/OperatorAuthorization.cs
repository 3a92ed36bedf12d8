using Backside.Core.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Backside.Web.Authentication;

/// <summary>Who runs this Backside installation: the accounts that see platform-wide pages such as Payments.</summary>
public sealed class OperatorOptions
{
    public const string SectionName = "Operators";

    /// <summary>Emails of the platform operators. They count only for an account that proved the address and has two-factor on.</summary>
    public List<string> Emails { get; set; } = [];
}

/// <summary>
/// The signed-in account's email is one of <see cref="OperatorOptions.Emails"/>, confirmed, and the account has
/// two-factor on: otherwise whoever registered that address first, or stole its password, would be an operator.
/// Read live (the list and the account), so a change needs no restart and no new sign-in.
/// </summary>
public sealed class OperatorRequirement(IOptionsMonitor<OperatorOptions> operators, IServiceScopeFactory scopes)
    : AuthorizationHandler<OperatorRequirement>, IAuthorizationRequirement
{
    public const string PolicyName = "operator";

    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, OperatorRequirement requirement)
    {
        var emails = operators.CurrentValue.Emails;
        if (emails.Count == 0 || context.User.Identity is not { IsAuthenticated: true })
            return;
        // A singleton handler (see AuthenticationExtensions) reads the account through a scope of its own.
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        if (await users.GetUserAsync(context.User) is { EmailConfirmed: true, TwoFactorEnabled: true, Email: { } email }
            && emails.Contains(email, StringComparer.OrdinalIgnoreCase))
            context.Succeed(requirement);
    }
}

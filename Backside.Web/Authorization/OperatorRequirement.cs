using Backside.Core.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Backside.Web.Authorization;

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

using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Backside.Web.Authentication;

/// <summary>Who runs this Backside installation: the accounts that see platform-wide pages such as Payments.</summary>
public sealed class OperatorOptions
{
    public const string SectionName = "Operators";

    /// <summary>Sign-in emails of the platform operators.</summary>
    public List<string> Emails { get; set; } = [];
}

/// <summary>The signed-in user is one of <see cref="OperatorOptions.Emails"/>; read live, so a change needs no restart.</summary>
public sealed class OperatorRequirement(IOptionsMonitor<OperatorOptions> operators)
    : AuthorizationHandler<OperatorRequirement>, IAuthorizationRequirement
{
    public const string PolicyName = "operator";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, OperatorRequirement requirement)
    {
        var name = context.User.Identity is { IsAuthenticated: true } identity ? identity.Name : null;
        if (name is not null && operators.CurrentValue.Emails.Contains(name, StringComparer.OrdinalIgnoreCase))
            context.Succeed(requirement);
        return Task.CompletedTask;
    }
}

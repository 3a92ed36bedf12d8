using Backside.Web.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Backside.Web.Authorization;

/// <summary>
/// The caller must hold <see cref="Scope"/>, directly or through the write scope of its domain. Like the framework's
/// own requirements it is its own handler, run by the pass-through handler; it implements the handler interface
/// directly and judges only itself, so a request does not walk the policy's requirements once per requirement type.
/// </summary>
public sealed class ScopeRequirement(string scope) : IAuthorizationHandler, IAuthorizationRequirement
{
    public string Scope { get; } = scope;

    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        if (context.User.HasScope(Scope))
            context.Succeed(this);
        else
            context.Fail(new ApiForbiddenReason(this, "insufficient_scope", "Insufficient scope",
                $"This action requires the {Scope} scope.", Scope));
        return Task.CompletedTask;
    }
}

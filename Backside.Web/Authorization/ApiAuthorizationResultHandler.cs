using Backside.Web.Api;
using Backside.Web.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Backside.Web.Authorization;

/// <summary>
/// Writes the 403 of a forbidden API request from the reason its requirement gave (missing scope, IP, referrer),
/// whichever rail authenticated it. Everything else (challenges, the dashboard's policies) goes to the framework's
/// default behaviour.
/// </summary>
public sealed class ApiAuthorizationResultHandler(RefusalCounter refusals) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var reason = authorizeResult.Forbidden
            ? authorizeResult.AuthorizationFailure?.FailureReasons.OfType<ApiForbiddenReason>().FirstOrDefault()
            : null;
        if (reason is null)
        {
            await fallback.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        refusals.Count(reason.Code);
        await ApiProblem.WriteAsync(context, ApiProblem.Forbidden(reason));
    }
}

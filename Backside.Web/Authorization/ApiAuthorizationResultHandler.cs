using Backside.Web.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Backside.Web.Authorization;

/// <summary>
/// Passes the recorded reason of a forbidden API request (missing scope, IP, referrer) to the default scheme's
/// forbid, which the key rail forwards to the rail that authenticated the request, so the 403 says what was wrong.
/// Everything else goes to the framework's default behaviour.
/// </summary>
public sealed class ApiAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
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

        var properties = new AuthenticationProperties();
        properties.SetString(ApiKeyDefaults.ForbiddenCodeItem, reason.Code);
        properties.SetString(ApiKeyDefaults.ForbiddenTitleItem, reason.Title);
        properties.SetString(ApiKeyDefaults.ForbiddenDetailItem, reason.Message);
        properties.SetString(ApiKeyDefaults.RequiredScopeItem, reason.RequiredScope);
        // JwtBearer's forbid does not pass properties on to its event; the request carries them too.
        context.Features.Set(new ApiForbiddenFeature(properties));
        await context.ForbidAsync(properties);
    }
}

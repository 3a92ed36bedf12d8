using Microsoft.AspNetCore.Authorization;

namespace Backside.Web.Authorization;

/// <summary>Why an API request was forbidden, in the words the 403 problem will use.</summary>
public sealed class ApiForbiddenReason(IAuthorizationHandler handler, string code, string title, string detail, string? requiredScope = null)
    : AuthorizationFailureReason(handler, detail)
{
    public string Code { get; } = code;
    public string Title { get; } = title;
    public string? RequiredScope { get; } = requiredScope;
}

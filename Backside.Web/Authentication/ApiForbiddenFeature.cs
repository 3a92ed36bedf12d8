using Microsoft.AspNetCore.Authentication;

namespace Backside.Web.Authentication;

/// <summary>Why the current request was forbidden, for handlers whose forbid does not receive the properties.</summary>
public sealed record ApiForbiddenFeature(AuthenticationProperties Properties);

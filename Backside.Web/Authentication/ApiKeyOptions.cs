using Microsoft.AspNetCore.Authentication;

namespace Backside.Web.Authentication;

public sealed class ApiKeyOptions : AuthenticationSchemeOptions
{
    /// <summary>Whether to accept the key in the <c>X-API-Key</c> header as well as in <c>Authorization: Bearer</c>.</summary>
    public bool AllowHeader { get; set; } = true;
}

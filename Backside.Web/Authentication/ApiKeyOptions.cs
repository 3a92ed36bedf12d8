using Microsoft.AspNetCore.Authentication;

namespace Backside.Web.Authentication;

public sealed class ApiKeyOptions : AuthenticationSchemeOptions
{
    /// <summary>The handler raises no events; one shared object spares every request the framework's default of a new one.</summary>
    private static readonly object NoEvents = new();

    public ApiKeyOptions() => Events = NoEvents;

    /// <summary>Whether to accept the key in the <c>X-API-Key</c> header as well as in <c>Authorization: Bearer</c>.</summary>
    public bool AllowHeader { get; set; } = true;
}

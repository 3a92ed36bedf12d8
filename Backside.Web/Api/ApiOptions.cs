using System.ComponentModel.DataAnnotations;

namespace Backside.Web.Api;

/// <summary>Limits on what one API request may send (section <c>Api</c>).</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>The largest request body accepted on <c>/api</c>, in bytes; a larger one is answered 413 unread.</summary>
    [Range(1_024, 100 * 1_024 * 1_024)]
    public long MaxBodyBytes { get; set; } = 64 * 1_024;
}

namespace Backside.Web.Hosting;

/// <summary>Where people reach this installation.</summary>
public sealed class AppOptions
{
    public const string SectionName = "App";

    /// <summary>
    /// The address people use, such as <c>https://backside.example.com</c>: links in emails are built on it (never
    /// on a request's Host header, which the client chooses), and <c>AllowedHosts</c> is set from it.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    public Uri? PublicBaseUri => string.IsNullOrWhiteSpace(PublicBaseUrl) ? null : new Uri(PublicBaseUrl, UriKind.Absolute);
}

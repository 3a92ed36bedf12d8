using Backside.Web.Email;
using Microsoft.Extensions.Options;

namespace Backside.Web.Hosting;

/// <summary>
/// An absolute http(s) URL without query or fragment when set; required outside Development once SMTP is
/// configured, since mailed links would otherwise have nowhere trustworthy to point.
/// </summary>
public sealed class AppOptionsValidator(IHostEnvironment environment, IOptions<SmtpOptions> smtp) : IValidateOptions<AppOptions>
{
    public ValidateOptionsResult Validate(string? name, AppOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.PublicBaseUrl))
        {
            return smtp.Value.IsConfigured && !environment.IsDevelopment()
                ? ValidateOptionsResult.Fail("App:PublicBaseUrl is required when Email:Smtp:Host is set: links in emails are built on it.")
                : ValidateOptionsResult.Success;
        }
        if (!Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
            return ValidateOptionsResult.Fail($"App:PublicBaseUrl '{options.PublicBaseUrl}' must be an absolute http or https URL without user, query or fragment.");
        return ValidateOptionsResult.Success;
    }
}

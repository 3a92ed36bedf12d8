using Microsoft.Extensions.Options;

namespace Backside.Web.Email;

/// <summary>How this installation gets links to people, decided once from the configuration and the environment.</summary>
public sealed class EmailDelivery(IOptions<SmtpOptions> smtp, IHostEnvironment environment)
{
    public EmailDeliveryMode Mode { get; } =
        smtp.Value.IsConfigured ? EmailDeliveryMode.Smtp
        : environment.IsDevelopment() ? EmailDeliveryMode.LinksOnPage
        : EmailDeliveryMode.NotConfigured;
}

using Microsoft.Extensions.Options;

namespace Backside.Web.Email;

/// <summary>Says once, at start-up, when no mail can be sent, and what people will see instead.</summary>
public sealed partial class EmailStartupCheck(EmailDelivery delivery, IOptions<SmtpOptions> smtp, ILogger<EmailStartupCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        switch (delivery.Mode)
        {
            case EmailDeliveryMode.NotConfigured:
                Log.NotConfigured(logger);
                break;
            case EmailDeliveryMode.LinksOnPage:
                Log.LinksOnPage(logger);
                break;
            default:
                Log.Configured(logger, smtp.Value.Host!, smtp.Value.Port);
                break;
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Email is not configured (Email:Smtp:Host): no confirmation, password reset or security email can be sent, so new accounts cannot confirm their address.")]
        public static partial void NotConfigured(ILogger logger);

        [LoggerMessage(2, LogLevel.Information, "Email is not configured (Email:Smtp:Host): in Development, confirmation and reset links are shown on the page instead.")]
        public static partial void LinksOnPage(ILogger logger);

        [LoggerMessage(3, LogLevel.Information, "Email goes out through {Host}:{Port}.")]
        public static partial void Configured(ILogger logger, string host, int port);
    }
}

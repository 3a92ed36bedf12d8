using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Backside.Web.Email;

/// <summary>Hands one message to the configured SMTP server with MailKit: connect, authenticate if configured, send, quit.</summary>
public sealed class SmtpMailer(IOptions<SmtpOptions> options)
{
    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        var smtp = options.Value;
        using var client = new SmtpClient { Timeout = (int)TimeSpan.FromSeconds(smtp.TimeoutSeconds).TotalMilliseconds };
        await client.ConnectAsync(smtp.Host!, smtp.Port, SocketOptions(smtp), ct);
        if (!string.IsNullOrEmpty(smtp.Username))
            await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", ct);
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
    }

    private static SecureSocketOptions SocketOptions(SmtpOptions smtp) =>
        !smtp.UseTls ? SecureSocketOptions.None
        : smtp.Port == 465 ? SecureSocketOptions.SslOnConnect
        : SecureSocketOptions.StartTls;
}

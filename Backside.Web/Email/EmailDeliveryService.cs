using Backside.Core.Identity;
using MimeKit;

namespace Backside.Web.Email;

/// <summary>
/// Sends what the <see cref="EmailOutbox"/> holds, one message after another, in the order it was queued. A message
/// that fails is logged and dropped: the change that asked for it has long succeeded, and must stay so.
/// </summary>
public sealed partial class EmailDeliveryService(
    EmailOutbox outbox, EmailMessages messages, SmtpMailer mailer, IServiceScopeFactory scopes, EmailDelivery delivery,
    ILogger<EmailDeliveryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (delivery.Mode != EmailDeliveryMode.Smtp)
            return;
        try
        {
            await foreach (var pending in outbox.Reader.ReadAllAsync(stoppingToken))
                await DeliverAsync(pending, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAsync(PendingEmail pending, CancellationToken ct)
    {
        IReadOnlyList<MimeMessage> composed;
        try
        {
            composed = await ComposeAsync(pending, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            Log.NotSent(logger, pending.Description, ex.GetType().Name, ex.Message);
            return;
        }
        foreach (var message in composed)
        {
            try
            {
                await mailer.SendAsync(message, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                // What the server or network said; the message itself (links, tokens) is never logged.
                Log.NotSent(logger, pending.Description, ex.GetType().Name, ex.Message);
            }
        }
    }

    private async Task<IReadOnlyList<MimeMessage>> ComposeAsync(PendingEmail pending, CancellationToken ct)
    {
        switch (pending)
        {
            case PendingEmail.ConfirmationLink mail:
                return [messages.ConfirmEmail(mail.To, mail.Link)];
            case PendingEmail.PasswordResetLink mail:
                return [messages.ResetPassword(mail.To, mail.Link)];
            case PendingEmail.PasswordResetCode mail:
                return [messages.ResetCode(mail.To, mail.Code)];
            case PendingEmail.InvitationLink invitation:
                return [messages.Invitation(invitation.Mail)];
            case PendingEmail.NoticeToUser notice:
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var to = await scope.ServiceProvider.GetRequiredService<SecurityNoticeRecipients>().ForUserAsync(notice.UserId, ct);
                    return [.. to.Select(address => messages.SecurityNotice(address, notice.Notice, notice.OccurredAt))];
                }
            case PendingEmail.NoticeToOwners notice:
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var to = await scope.ServiceProvider.GetRequiredService<SecurityNoticeRecipients>().ForOwnersAsync(notice.OrganizationId, ct);
                    // One message per Owner: no Owner learns the others' addresses.
                    return [.. to.Select(address => messages.SecurityNotice(address, notice.Notice, notice.OccurredAt))];
                }
            default:
                throw new ArgumentOutOfRangeException(nameof(pending), pending.GetType().Name, "Unknown kind of pending email.");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Email not sent ({Description}): {Error}: {Reason}")]
        public static partial void NotSent(ILogger logger, string description, string error, string reason);
    }
}

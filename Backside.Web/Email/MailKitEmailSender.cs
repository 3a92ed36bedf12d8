using Backside.Core.Identity;
using Microsoft.AspNetCore.Identity;

namespace Backside.Web.Email;

/// <summary>
/// Identity's mail (confirm an address, reset a password) through the <see cref="EmailOutbox"/>, so a slow or failing
/// mail server never holds up or fails the page that asked.
/// </summary>
public sealed class MailKitEmailSender(EmailOutbox outbox) : IEmailSender<ApplicationUser>
{
    public Task SendConfirmationLinkAsync(ApplicationUser user, string email, string confirmationLink)
    {
        outbox.Enqueue(new PendingEmail.ConfirmationLink(email, confirmationLink));
        return Task.CompletedTask;
    }

    public Task SendPasswordResetLinkAsync(ApplicationUser user, string email, string resetLink)
    {
        outbox.Enqueue(new PendingEmail.PasswordResetLink(email, resetLink));
        return Task.CompletedTask;
    }

    public Task SendPasswordResetCodeAsync(ApplicationUser user, string email, string resetCode)
    {
        outbox.Enqueue(new PendingEmail.PasswordResetCode(email, resetCode));
        return Task.CompletedTask;
    }
}

using Backside.Core.Identity;
using Microsoft.AspNetCore.Identity;

namespace Backside.Web.Components.Account;

/// <summary>
/// Identity's sender where no mail can go (no SMTP configured). The pages do not call it then: they show the link
/// (Development) or say that email is not configured (see <see cref="AccountEmails"/>).
/// </summary>
internal sealed class IdentityNoOpEmailSender : IEmailSender<ApplicationUser>
{
    public Task SendConfirmationLinkAsync(ApplicationUser user, string email, string confirmationLink) => Task.CompletedTask;

    public Task SendPasswordResetLinkAsync(ApplicationUser user, string email, string resetLink) => Task.CompletedTask;

    public Task SendPasswordResetCodeAsync(ApplicationUser user, string email, string resetCode) => Task.CompletedTask;
}

using System.Text;
using System.Text.Encodings.Web;
using Backside.Core.Identity;
using Backside.Web.Email;
using Backside.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace Backside.Web.Components.Account;

/// <summary>
/// The Identity pages' links (confirm an address, change it, reset a password), built on the public base URL and
/// mailed. In Development without SMTP each call returns its link for the page to show instead; with mail not
/// configured anywhere else it makes no link at all. Mail anyone can ask for by naming an address (a confirmation
/// link, a registration notice) goes at most once per <see cref="AccountMailCooldown.Interval"/> per recipient.
/// </summary>
public sealed class AccountEmails(
    UserManager<ApplicationUser> users,
    IEmailSender<ApplicationUser> sender,
    ISecurityNotifier notifier,
    AccountMailCooldown cooldown,
    PublicLinks links,
    EmailDelivery delivery)
{
    public EmailDeliveryMode Mode => delivery.Mode;

    /// <returns>The link when the page is to show it (Development without SMTP), otherwise null.</returns>
    public async Task<string?> SendConfirmationAsync(ApplicationUser user, string? returnUrl = null)
    {
        if (Mode == EmailDeliveryMode.NotConfigured || user.Email is null)
            return null;
        if (Mode == EmailDeliveryMode.Smtp && !cooldown.TryStart(user.Email))
            return null;
        var code = Encode(await users.GenerateEmailConfirmationTokenAsync(user));
        var link = links.To("Account/ConfirmEmail", [new("userId", user.Id), new("code", code), new("returnUrl", returnUrl)]);
        if (Mode == EmailDeliveryMode.LinksOnPage)
            return link;
        await sender.SendConfirmationLinkAsync(user, user.Email, HtmlEncoder.Default.Encode(link));
        return null;
    }

    /// <summary>
    /// Someone tried to register with the address of an existing account: its owner hears of it (a confirmed
    /// address), or gets the confirmation link again (an address never confirmed, as a new registration would).
    /// </summary>
    public async Task TellOwnerOfRegistrationAttemptAsync(ApplicationUser owner, string? ipAddress, string? returnUrl)
    {
        if (!owner.EmailConfirmed)
        {
            await SendConfirmationAsync(owner, returnUrl);
            return;
        }
        if (Mode == EmailDeliveryMode.Smtp && owner.Email is not null && cooldown.TryStart(owner.Email))
            notifier.NotifyUser(owner.Id, new(SecurityNoticeKind.RegistrationAttempted, ipAddress));
    }

    /// <returns>The link when the page is to show it (Development without SMTP), otherwise null.</returns>
    public async Task<string?> SendEmailChangeAsync(ApplicationUser user, string newEmail)
    {
        if (Mode == EmailDeliveryMode.NotConfigured)
            return null;
        var code = Encode(await users.GenerateChangeEmailTokenAsync(user, newEmail));
        var link = links.To("Account/ConfirmEmailChange", [new("userId", user.Id), new("email", newEmail), new("code", code)]);
        if (Mode == EmailDeliveryMode.LinksOnPage)
            return link;
        // To the new address: following the link proves it.
        await sender.SendConfirmationLinkAsync(user, newEmail, HtmlEncoder.Default.Encode(link));
        return null;
    }

    /// <returns>The link when the page is to show it (Development without SMTP), otherwise null.</returns>
    public async Task<string?> SendPasswordResetAsync(ApplicationUser user)
    {
        if (Mode == EmailDeliveryMode.NotConfigured || user.Email is null)
            return null;
        var code = Encode(await users.GeneratePasswordResetTokenAsync(user));
        var link = links.To("Account/ResetPassword", [new("code", code)]);
        if (Mode == EmailDeliveryMode.LinksOnPage)
            return link;
        await sender.SendPasswordResetLinkAsync(user, user.Email, HtmlEncoder.Default.Encode(link));
        return null;
    }

    private static string Encode(string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));

    /// <summary>The token in a link's <c>code</c>, or null when the code is not base64url at all (a made-up link).</summary>
    public static string? DecodeCode(string? code)
    {
        if (code is null)
            return null;
        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

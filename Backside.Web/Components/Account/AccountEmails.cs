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
/// configured anywhere else it makes no link at all.
/// </summary>
public sealed class AccountEmails(UserManager<ApplicationUser> users, IEmailSender<ApplicationUser> sender, PublicLinks links, EmailDelivery delivery)
{
    public EmailDeliveryMode Mode => delivery.Mode;

    /// <returns>The link when the page is to show it (Development without SMTP), otherwise null.</returns>
    public async Task<string?> SendConfirmationAsync(ApplicationUser user, string? returnUrl = null)
    {
        if (Mode == EmailDeliveryMode.NotConfigured || user.Email is null)
            return null;
        var code = Encode(await users.GenerateEmailConfirmationTokenAsync(user));
        var link = links.To("Account/ConfirmEmail", [new("userId", user.Id), new("code", code), new("returnUrl", returnUrl)]);
        if (Mode == EmailDeliveryMode.LinksOnPage)
            return link;
        await sender.SendConfirmationLinkAsync(user, user.Email, HtmlEncoder.Default.Encode(link));
        return null;
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
}

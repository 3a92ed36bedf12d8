namespace Backside.Web.Email;

public enum EmailDeliveryMode
{
    /// <summary><c>Email:Smtp:Host</c> is set: mail is sent.</summary>
    Smtp,

    /// <summary>Development without SMTP: confirmation and reset links are shown on the page, so the app runs with no set-up.</summary>
    LinksOnPage,

    /// <summary>Anywhere else without SMTP: no mail, and no link on any page (a link on the page proves no address).</summary>
    NotConfigured,
}

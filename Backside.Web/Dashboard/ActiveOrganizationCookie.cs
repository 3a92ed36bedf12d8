using Microsoft.AspNetCore.DataProtection;

namespace Backside.Web.Dashboard;

/// <summary>
/// The dashboard organization a browser chose, kept per browser in <see cref="Name"/> (HttpOnly, SameSite=Lax, Secure
/// outside Development), protected with the Data Protection key ring and bound to the person, so it can be neither
/// forged nor carried to another account. What it names is checked against the membership on every read; it only
/// ever chooses among the person's own organizations. <see cref="NoticeName"/> carries, for one page load, the name
/// of an organization the person was removed from since they chose it.
/// </summary>
public sealed class ActiveOrganizationCookie(IDataProtectionProvider protection, IHostEnvironment environment)
{
    public const string Name = "backside.org";
    public const string NoticeName = "backside.org_ended";

    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);
    private readonly IDataProtector organizations = protection.CreateProtector("Backside.Dashboard.ActiveOrganization");
    private readonly IDataProtector notices = protection.CreateProtector("Backside.Dashboard.MembershipEndedNotice");

    /// <summary>The organization id the browser chose, when the cookie is present, intact and the person's own.</summary>
    public string? Read(HttpContext context, string userId) => Unprotect(organizations, context.Request.Cookies[Name], userId);

    /// <summary><see cref="Read(HttpContext, string)"/> of a cookie value captured earlier.</summary>
    public string? Read(string? value, string userId) => Unprotect(organizations, value, userId);

    public void Write(HttpContext context, string userId, string organizationId) =>
        context.Response.Cookies.Append(Name, organizations.Protect(userId + "\n" + organizationId), Options(context, Lifetime));

    public void Delete(HttpContext context) => context.Response.Cookies.Delete(Name, Options(context, null));

    /// <summary>The name of the organization whose membership ended, when a notice is pending for the person.</summary>
    public string? ReadNotice(string? value, string userId) => Unprotect(notices, value, userId);

    public void WriteNotice(HttpContext context, string userId, string organizationName) =>
        context.Response.Cookies.Append(NoticeName, notices.Protect(userId + "\n" + organizationName), Options(context, null));

    public void DeleteNotice(HttpContext context) => context.Response.Cookies.Delete(NoticeName, Options(context, null));

    public static bool HasNotice(HttpContext context) => context.Request.Cookies.ContainsKey(NoticeName);

    public static bool HasCookie(HttpContext context) => context.Request.Cookies.ContainsKey(Name);

    private static string? Unprotect(IDataProtector protector, string? cookie, string userId)
    {
        if (cookie is not { Length: > 0 and <= 4096 } value)
            return null;
        try
        {
            var payload = protector.Unprotect(value);
            var separator = payload.IndexOf('\n', StringComparison.Ordinal);
            return separator > 0 && payload.AsSpan(0, separator).SequenceEqual(userId) ? payload[(separator + 1)..] : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    private CookieOptions Options(HttpContext context, TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = context.Request.IsHttps || !environment.IsDevelopment(),
        IsEssential = true,
        Path = "/",
        MaxAge = maxAge,
    };
}

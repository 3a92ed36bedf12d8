namespace Backside.Web.Components.Layout;

/// <summary>
/// Light or dark, decided on the server so the first paint is already right, static pages included: the person's
/// choice (a cookie the theme toggle sets), else the system's preference as the browser last reported it (a cookie
/// <c>js/theme.js</c> keeps current, or Chromium's client hint on a first visit), else light.
/// </summary>
public static class ThemePreference
{
    public const string ChoiceCookie = "backside-theme";
    public const string SystemCookie = "backside-system-theme";
    public const string ClientHint = "Sec-CH-Prefers-Color-Scheme";
    public const string Dark = "dark";
    public const string Light = "light";

    public static bool IsDark(HttpContext http) => Chosen(http) ?? System(http) ?? false;

    /// <summary>Whether the person chose a theme in this browser; until then the page follows the system.</summary>
    public static bool IsChosen(HttpContext http) => Chosen(http) is not null;

    /// <summary>Remembers <paramref name="dark"/> as this browser's choice for a year.</summary>
    public static void Choose(HttpContext http, bool dark) =>
        http.Response.Cookies.Append(ChoiceCookie, dark ? Dark : Light, new CookieOptions
        {
            Path = "/",
            MaxAge = TimeSpan.FromDays(365),
            SameSite = SameSiteMode.Lax,
            IsEssential = true,
            Secure = http.Request.IsHttps,
            // Read by js/theme.js too, so an interactive page can switch without a reload; it holds nothing secret.
            HttpOnly = false,
        });

    private static bool? Chosen(HttpContext http) => Parse(http.Request.Cookies[ChoiceCookie]);

    private static bool? System(HttpContext http) =>
        Parse(http.Request.Cookies[SystemCookie]) ?? Parse(http.Request.Headers[ClientHint].ToString());

    private static bool? Parse(string? value) => value switch
    {
        Dark => true,
        Light => false,
        _ => null,
    };
}

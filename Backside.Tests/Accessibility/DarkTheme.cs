using Microsoft.Playwright;

namespace Backside.Tests.Accessibility;

/// <summary>How a test puts a page in dark mode: the one place to change when the theme switch changes.</summary>
public static class DarkTheme
{
    /// <summary>
    /// The context already asks for dark (<c>ColorScheme.Dark</c>), which the dashboard follows once its circuit is up;
    /// where the page is still light after that, the top bar's toggle is clicked. Returns whether the page is dark
    /// (static pages without the toggle may stay light).
    /// </summary>
    public static async Task<bool> SwitchOnAsync(IPage page)
    {
        if (await IsDarkAsync(page, TimeSpan.FromSeconds(3)))
            return true;
        var toggle = page.GetByLabel("Toggle dark theme");
        if (await toggle.CountAsync() == 0)
            return false;
        await toggle.ClickAsync();
        return await IsDarkAsync(page, TimeSpan.FromSeconds(10));
    }

    /// <summary>Whether the page's background is dark (relative luminance below one half), waiting up to <paramref name="wait"/> for it.</summary>
    private static async Task<bool> IsDarkAsync(IPage page, TimeSpan wait)
    {
        try
        {
            await page.WaitForFunctionAsync(
                """
                () => {
                  const [r, g, b, a = 1] = getComputedStyle(document.body).backgroundColor.match(/\d+(\.\d+)?/g).map(Number);
                  return a > 0 && (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 < 0.5; // a transparent body shows the white canvas
                }
                """, null, new() { Timeout = (float)wait.TotalMilliseconds });
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}

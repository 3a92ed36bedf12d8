using Microsoft.Playwright;

namespace Backside.Tests.Infrastructure;

/// <summary>Debian's Chromium driven by Playwright; no browser download needed.</summary>
public static class Browser
{
    public static BrowserTypeLaunchOptions LaunchOptions { get; } = new()
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        Args =
        [
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            // The machine has no internet; without these Chromium keeps trying to reach Google's services.
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ],
    };

    /// <summary>
    /// Opens a page on the app as a fresh browser profile that may use the clipboard, runs <paramref name="journey"/>,
    /// and saves a full-page screenshot named <c>failure-…</c> if it throws.
    /// </summary>
    public static Task RunJourneyAsync(string baseUrl, string name, Func<IPage, Task> journey) =>
        RunJourneyAsync(baseUrl, name, journey, _ => { });

    /// <param name="configure">Changes the browser context's options, such as its viewport or colour scheme.</param>
    public static async Task RunJourneyAsync(string baseUrl, string name, Func<IPage, Task> journey, Action<BrowserNewContextOptions> configure)
    {
        Assertions.SetDefaultExpectTimeout(15_000); // the suite shares two cores with this browser
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(LaunchOptions);
        var options = new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new() { Width = 1440, Height = 1000 } };
        configure(options);
        await using var context = await browser.NewContextAsync(options);
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = baseUrl });
        var page = await context.NewPageAsync();
        try
        {
            await journey(page);
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = ScreenshotPath($"failure-{name}"), FullPage = true });
            throw;
        }
    }

    /// <summary>Where screenshots go: <c>artifacts/screenshots</c> at the repository root (ignored by git).</summary>
    public static string ScreenshotPath(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Backside.sln")))
            directory = directory.Parent;
        var folder = Path.Combine(directory?.FullName ?? AppContext.BaseDirectory, "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, $"{name}.png");
    }

    /// <summary>Blazor pages are prerendered; clicks only work once the circuit is up, which the layout marks.</summary>
    public static Task WaitForInteractivityAsync(this IPage page) =>
        Assertions.Expect(page.Locator("[data-interactive]")).ToHaveCountAsync(1);
}

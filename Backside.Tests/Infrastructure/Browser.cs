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

    /// <summary>Blazor pages are prerendered; clicks only work once the circuit is up, which the theme toggle shows.</summary>
    public static Task WaitForInteractivityAsync(this IPage page) =>
        Assertions.Expect(page.GetByLabel("Toggle dark theme")).ToBeVisibleAsync();
}

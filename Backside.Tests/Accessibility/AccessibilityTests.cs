using Backside.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Backside.Tests.Accessibility;

/// <summary>
/// WCAG 2.2 AA as axe-core checks it: every page and dialog, in light and dark mode, at a laptop's 1366×768 and a
/// phone's 390×844, has no critical and no serious violation. Each page is its own case, so a failure names the page;
/// its message lists every variant's violations with the rule, impact, elements and axe's summary of the fix.
/// </summary>
[Collection(BrowserCollection.Name)]
public class AccessibilityTests(AccessibilityFixture site, ITestOutputHelper output) : IClassFixture<AccessibilityFixture>
{
    private static readonly (string Name, int Width, int Height)[] Sizes = [("desktop", 1366, 768), ("phone", 390, 844)];

    public static TheoryData<string> Pages => new(CheckedPages.All.Select(p => p.Name));

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_has_no_serious_or_critical_violation_in_either_theme_at_either_size(string name)
    {
        var checkedPage = CheckedPages.Named(name);
        var failures = new List<string>();
        foreach (var (size, width, height) in Sizes)
        {
            foreach (var dark in new[] { false, true })
            {
                var variant = $"{name}, {(dark ? "dark" : "light")}, {size} {width}×{height}";
                var (violations, note) = await CheckAsync(checkedPage, width, height, dark, $"a11y-{name}-{(dark ? "dark" : "light")}-{size}");
                var serious = violations.Where(v => v.IsSerious).ToList();
                output.WriteLine($"{variant}: {serious.Count} serious or critical, {violations.Count - serious.Count} other{note}");
                if (serious.Count > 0)
                    failures.Add($"{variant}{note}:\n  " + string.Join("\n  ", serious));
            }
        }

        Assert.True(failures.Count == 0, $"axe found serious or critical violations on {name}:\n{string.Join("\n\n", failures)}");
    }

    private async Task<(IReadOnlyList<AxeViolation> Violations, string Note)> CheckAsync(CheckedPage checkedPage, int width, int height, bool dark, string screenshot)
    {
        await using var context = await site.NewContextAsync(checkedPage.Persona, width, height, dark);
        var page = await context.NewPageAsync();
        try
        {
            await checkedPage.Open(page, site);
            var note = "";
            if (dark && !await DarkTheme.SwitchOnAsync(page))
                note = " (the page stayed light)";
            // Fades and colour transitions must be over: axe measures contrast on what is painted now.
            await page.WaitForFunctionAsync("() => document.getAnimations().every(a => a.playState !== 'running')");
            var violations = await Axe.RunAsync(page);
            await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath(screenshot) });
            return (violations, note);
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath($"failure-{screenshot}"), FullPage = true });
            throw;
        }
    }
}

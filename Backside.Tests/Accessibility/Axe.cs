using System.Text.Json;
using Backside.Tests.Payments;
using Microsoft.Playwright;

namespace Backside.Tests.Accessibility;

/// <summary>
/// axe-core (npm <c>axe-core</c>, the engine of <c>@axe-core/playwright</c> 4.14.1, pinned by <c>Accessibility/axe/package-lock.json</c>;
/// <c>scripts/test</c> installs it) run inside a page against WCAG 2.0, 2.1 and 2.2 A and AA.
/// </summary>
public static class Axe
{
    public static readonly string[] Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

    private static readonly string Folder = Path.Combine(PaymentVectors.RepositoryRoot(), "Backside.Tests", "Accessibility", "axe");

    private static readonly Lazy<string> Source = new(() =>
    {
        var file = Path.Combine(Folder, "node_modules", "axe-core", "axe.min.js");
        Assert.True(File.Exists(file), $"axe-core is not installed: run scripts/test, or npm ci --omit=peer --prefix {Folder}.");
        return File.ReadAllText(file);
    });

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    /// <summary>Every violation axe finds on the page as it is now, of any impact.</summary>
    public static async Task<IReadOnlyList<AxeViolation>> RunAsync(IPage page)
    {
        // The site's CSP allows scripts only with the request's nonce, so AddScriptTagAsync's inline <script> is
        // refused, and BypassCSP would check a page the site never serves. Playwright's evaluate goes through the
        // DevTools protocol, which the page's CSP does not govern: the page is checked exactly as shipped.
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
            await page.EvaluateAsync(Source.Value);
        var json = await page.EvaluateAsync<string>(
            """
            async tags => {
              const results = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
              return JSON.stringify(results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({ target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : t).join(' '), summary: n.failureSummary ?? '' })),
              })));
            }
            """, Tags);
        return JsonSerializer.Deserialize<List<AxeViolation>>(json, Json)!;
    }
}

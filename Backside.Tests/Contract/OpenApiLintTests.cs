using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Backside.Tests.Infrastructure;
using Backside.Tests.Payments;

namespace Backside.Tests.Contract;

/// <summary>
/// Spectral (npm <c>@stoplight/spectral-cli</c>, <c>spectral:oas</c>, pinned by <c>Contract/spectral/package-lock.json</c>)
/// lints the document the app serves. <c>scripts/test</c> installs it.
/// </summary>
public class OpenApiLintTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    private static readonly string SpectralFolder = Path.Combine(PaymentVectors.RepositoryRoot(), "Backside.Tests", "Contract", "spectral");

    [Fact]
    public async Task Spectral_finds_no_error_and_no_warning_in_the_served_document()
    {
        var document = await GetDocumentAsync();

        var findings = await LintAsync(document);

        var serious = findings.Where(f => f.Severity <= 1).ToList();
        Assert.True(serious.Count == 0, $"Spectral found {serious.Count} errors and warnings:\n{string.Join('\n', serious)}");
    }

    [Fact]
    public async Task Spectral_finds_an_example_that_breaks_its_schema()
    {
        var document = await GetDocumentAsync();
        var example = document["components"]!["responses"]!["NotFound"]!["content"]!["application/problem+json"]!["example"]!;
        example["status"] = "four hundred and four";

        var findings = await LintAsync(document);

        Assert.Contains(findings, f => f is { Code: "oas3-valid-media-example", Severity: 0 }
            && f.Path == "components.responses.NotFound.content.application/problem+json.example.status");
    }

    private async Task<JsonNode> GetDocumentAsync()
    {
        var response = await app.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static async Task<List<Finding>> LintAsync(JsonNode document)
    {
        var cli = Path.Combine(SpectralFolder, "node_modules", "@stoplight", "spectral-cli", "dist", "index.js");
        Assert.True(File.Exists(cli), $"Spectral is not installed: run scripts/test, or npm ci --prefix {SpectralFolder}.");
        var file = Path.Combine(Path.GetTempPath(), $"backside-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, document.ToJsonString());
        try
        {
            var start = new ProcessStartInfo("node", [cli, "lint", file, "--ruleset", Path.Combine(SpectralFolder, ".spectral.yaml"), "--format", "json", "--quiet"])
            {
                WorkingDirectory = SpectralFolder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
            // Exit code 1 means "found errors"; anything else that is not 0 is Spectral failing to run.
            Assert.True(process.ExitCode is 0 or 1, $"spectral lint failed ({process.ExitCode}): {await errors}");
            var results = JsonNode.Parse(await output) as JsonArray;
            Assert.True(results is not null, $"spectral lint printed no JSON: {await output}{await errors}");
            return results.Select(r => new Finding(
                r!["code"]!.GetValue<string>(),
                r["severity"]!.GetValue<int>(),
                string.Join('.', r["path"]!.AsArray().Select(p => p!.ToString())),
                r["message"]!.GetValue<string>())).ToList();
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>One result of <c>spectral lint --format json</c>; severity 0 is an error, 1 a warning.</summary>
    private sealed record Finding(string Code, int Severity, string Path, string Message)
    {
        public override string ToString() => $"{(Severity == 0 ? "error" : Severity == 1 ? "warning" : "info")} {Code} at {Path}: {Message}";
    }
}

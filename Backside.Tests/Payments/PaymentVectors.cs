using System.Text.Json.Nodes;

namespace Backside.Tests.Payments;

/// <summary>
/// The x402 test vectors: every <c>vectors-*.json</c> in the shared protocol folder beside the repository, the copy
/// kept in this project (for a clone without that folder), and the file <c>X402_VECTORS_FILE</c> names. Files are
/// found by glob, so a new vector file runs without a code change; a shared file wins over a copy of the same name.
/// </summary>
public static class PaymentVectors
{
    public static IReadOnlyList<string> Files()
    {
        var root = RepositoryRoot();
        var folders = new[]
        {
            Path.Combine(root, "..", "shared", "x402"),
            Path.Combine(root, "Backside.Tests", "Payments", "Vectors"),
        };
        var files = folders.Where(Directory.Exists)
            .SelectMany(folder => Directory.GetFiles(folder, "vectors-*.json"))
            .DistinctBy(Path.GetFileName)
            .ToList();
        if (Environment.GetEnvironmentVariable("X402_VECTORS_FILE") is { Length: > 0 } extra)
            files.Add(Path.GetFullPath(extra));
        return files;
    }

    public static JsonObject Load(string file) => JsonNode.Parse(File.ReadAllText(file))!.AsObject();

    public static IEnumerable<object[]> Cases() =>
        from file in Files()
        from testCase in Load(file)["cases"]!.AsArray()
        select new object[] { Path.GetFileName(file), testCase!["id"]!.GetValue<string>() };

    public static (JsonObject File, JsonObject Case) Find(string fileName, string caseId)
    {
        var file = Load(Files().Single(f => Path.GetFileName(f) == fileName));
        return (file, file["cases"]!.AsArray().Single(c => c!["id"]!.GetValue<string>() == caseId)!.AsObject());
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Backside.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("Backside.sln not found above the test binaries.");
    }
}

namespace Backside.Tests.Accessibility;

/// <summary>One axe rule a page breaks, with every element that breaks it.</summary>
public sealed record AxeViolation(string Id, string Impact, string Help, IReadOnlyList<AxeNode> Nodes)
{
    /// <summary>What fails the test: axe's two highest impacts.</summary>
    public bool IsSerious => Impact is "critical" or "serious";

    public override string ToString() =>
        $"{Id} ({Impact}): {Help}\n" + string.Join('\n', Nodes.Select(n => $"    {n.Target}\n      {n.Summary.ReplaceLineEndings("\n      ")}"));
}

namespace Backside.Tests.Accessibility;

/// <summary>An element axe flagged: its CSS selector and axe's summary of how to fix it.</summary>
public sealed record AxeNode(string Target, string Summary);

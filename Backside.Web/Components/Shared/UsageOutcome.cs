using Backside.Core.Usage;

namespace Backside.Web.Components.Shared;

/// <summary>One series of the usage chart: its name (also the legend's and the table's), its colour, and its count.</summary>
public sealed record UsageOutcome(string Name, string Colour, Func<UsageCounts, long> Count);

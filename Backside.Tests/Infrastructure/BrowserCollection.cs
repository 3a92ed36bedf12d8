namespace Backside.Tests.Infrastructure;

/// <summary>Browser tests run one at a time: each drives a Chromium and an app, and two at once starve two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection
{
    public const string Name = "Browser";
}

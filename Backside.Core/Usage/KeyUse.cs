namespace Backside.Core.Usage;

/// <summary>The latest use of a key: when and from which address.</summary>
public readonly record struct KeyUse(DateTimeOffset At, string? Ip);

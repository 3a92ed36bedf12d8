using System.Diagnostics.CodeAnalysis;

namespace Backside.Core.ApiKeys;

/// <summary>The answer of <see cref="ApiKeyPower.Covers"/>: covered, or the dimension that reaches further and why.</summary>
public readonly record struct Coverage(string? Dimension, string? Reason)
{
    public static Coverage Covered => default;

    [MemberNotNullWhen(true, nameof(Dimension), nameof(Reason))]
    public bool Denied => Dimension is not null;

    public static Coverage Deny(string dimension, string reason) => new(dimension, reason);
}

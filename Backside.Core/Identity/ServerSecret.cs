namespace Backside.Core.Identity;

/// <summary>A value the server keeps for itself (such as a generated signing key), encrypted with Data Protection.</summary>
public sealed class ServerSecret
{
    public required string Name { get; init; }
    public required string ProtectedValue { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

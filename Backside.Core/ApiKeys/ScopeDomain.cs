namespace Backside.Core.ApiKeys;

/// <summary>A domain of the API and the scopes it offers; the dashboard's scope picker is built from these.</summary>
public sealed record ScopeDomain(string Name, string Title, string Description, bool HasWrite)
{
    public string Read => $"{Name}:read";
    public string? Write => HasWrite ? $"{Name}:write" : null;
}

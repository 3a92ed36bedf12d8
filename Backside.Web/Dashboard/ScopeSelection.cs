using Backside.Core.ApiKeys;

namespace Backside.Web.Dashboard;

/// <summary>The scope picker's state: full access, or per domain none / read / write.</summary>
public sealed class ScopeSelection
{
    public const string NoAccess = "none";

    public bool FullAccess { get; set; }

    /// <summary>Domain name → <see cref="NoAccess"/> or the chosen scope (<c>contacts:read</c>, <c>contacts:write</c>).</summary>
    public Dictionary<string, string> Access { get; } = Scopes.Catalog.ToDictionary(d => d.Name, _ => NoAccess);

    /// <summary>What the key will hold: null for full access.</summary>
    public IReadOnlyList<string>? ToScopes() =>
        FullAccess ? null : Access.Values.Where(v => v != NoAccess).ToList();

    public bool IsEmpty => !FullAccess && Access.Values.All(v => v == NoAccess);

    /// <summary>The picker showing a key's current scopes; a write scope shows as Write, which includes Read.</summary>
    public static ScopeSelection From(IReadOnlyList<string>? scopes)
    {
        var selection = new ScopeSelection { FullAccess = scopes is null };
        foreach (var domain in Scopes.Catalog)
        {
            if (domain.Write is not null && scopes?.Contains(domain.Write) == true)
                selection.Access[domain.Name] = domain.Write;
            else if (scopes?.Contains(domain.Read) == true)
                selection.Access[domain.Name] = domain.Read;
        }
        return selection;
    }
}

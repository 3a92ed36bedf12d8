namespace Backside.Core.ApiKeys;

/// <summary>What a caller may do: either full access (a key created with <c>scopes: null</c>) or a list of scopes.</summary>
public sealed class ScopeSet
{
    private ScopeSet(IReadOnlyList<string>? values) => Values = values;

    public static ScopeSet Full { get; } = new(null);

    /// <summary>Every read scope of the catalog: what a read-only member of an organization holds.</summary>
    public static ScopeSet ReadOnly { get; } = Of(Scopes.Catalog.Select(d => d.Read));

    /// <summary>The scopes, sorted and without duplicates; <c>null</c> means full access.</summary>
    public IReadOnlyList<string>? Values { get; }

    public bool IsFull => Values is null;

    public static ScopeSet Of(IEnumerable<string> scopes) =>
        new(scopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray());

    public static ScopeSet FromStored(IReadOnlyList<string>? scopes) => scopes is null ? Full : Of(scopes);

    public bool Allows(string required)
    {
        if (Values is null)
            return true;
        // A loop, not LINQ: this runs on every keyed request.
        foreach (var granted in Values)
        {
            if (Scopes.Implies(granted, required))
                return true;
        }
        return false;
    }

    /// <summary>The first thing <paramref name="requested"/> grants that this set does not, or null when this set covers it.</summary>
    public string? FirstNotCovered(ScopeSet requested)
    {
        if (IsFull)
            return null;
        if (requested.Values is null)
            return "full access";
        return requested.Values.FirstOrDefault(scope => !Allows(scope));
    }

    public override string ToString() => Values is null ? "full access" : string.Join(' ', Values);
}

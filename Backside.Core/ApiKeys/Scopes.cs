namespace Backside.Core.ApiKeys;

/// <summary>
/// The scope catalog and its one rule: scopes are <c>domain:action</c>, and <c>write</c> includes <c>read</c> in the
/// same domain. Grow the catalog as the API grows.
/// </summary>
public static class Scopes
{
    public const string ContactsRead = "contacts:read";
    public const string ContactsWrite = "contacts:write";
    public const string ApiKeysRead = "api-keys:read";
    public const string ApiKeysWrite = "api-keys:write";
    public const string UsageRead = "usage:read";
    public const string AuditRead = "audit:read";
    public const string MembersRead = "members:read";
    public const string MembersWrite = "members:write";
    public const string OrganizationRead = "organization:read";
    public const string OrganizationWrite = "organization:write";

    public static IReadOnlyList<ScopeDomain> Catalog { get; } =
    [
        new("contacts", "Contacts", "The contacts of your organization.", HasWrite: true),
        new("api-keys", "API keys", "Create, list and revoke the organization's API keys.", HasWrite: true),
        new("usage", "Usage", "Request counts per key.", HasWrite: false),
        new("audit", "Audit log", "Who changed which key, and when.", HasWrite: false),
        new("members", "Members", "The organization's members, their roles and its invitations.", HasWrite: true),
        new("organization", "Organization", "The organization's name, plan and key policies.", HasWrite: true),
    ];

    public static IReadOnlyList<string> All { get; } =
        Catalog.SelectMany(d => d.Write is null ? new[] { d.Read } : [d.Read, d.Write]).ToArray();

    private static readonly HashSet<string> Known = new(All, StringComparer.Ordinal);

    public static bool IsKnown(string scope) => Known.Contains(scope);

    /// <summary>Whether holding <paramref name="granted"/> permits an action that needs <paramref name="required"/>.</summary>
    public static bool Implies(string granted, string required)
    {
        if (string.Equals(granted, required, StringComparison.Ordinal))
            return true;

        var separator = granted.IndexOf(':');
        return separator > 0
            && granted.AsSpan(separator + 1).SequenceEqual("write")
            && required.Length == separator + ":read".Length
            && required.AsSpan().StartsWith(granted.AsSpan(0, separator + 1))
            && required.AsSpan().EndsWith(":read");
    }
}

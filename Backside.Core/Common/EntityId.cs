namespace Backside.Core.Common;

/// <summary>
/// Public identifiers such as <c>key_0193…</c>: a type prefix plus a version-7 UUID (RFC 9562) in hex. The UUID starts
/// with the creation time in milliseconds, followed by a counter that keeps ids made in the same millisecond in order,
/// so ordering by id is ordering by creation; cursor paging relies on it.
/// </summary>
public static class EntityId
{
    public const string UserPrefix = "usr";
    public const string OrganizationPrefix = "org";
    public const string ApiKeyPrefix = "key";
    public const string ContactPrefix = "con";
    public const string AuditEventPrefix = "evt";
    public const string RefreshTokenPrefix = "rtk";
    public const string PaymentPrefix = "pay";
    public const string InvitationPrefix = "inv";

    private static readonly UuidV7Generator Shared = new();

    public static string New(string prefix, TimeProvider? time = null) =>
        $"{prefix}_{Shared.Next((time ?? TimeProvider.System).GetUtcNow()):x32}";

    /// <summary>Whether <paramref name="value"/> could be an id of this type; lets handlers answer 404 without a query.</summary>
    public static bool HasShape(string? value, string prefix) =>
        value is not null
        && value.Length == prefix.Length + 33
        && value.StartsWith(prefix, StringComparison.Ordinal)
        && value[prefix.Length] == '_'
        && value.AsSpan(prefix.Length + 1).ContainsAnyExcept(LowerHex) is false;

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");
}

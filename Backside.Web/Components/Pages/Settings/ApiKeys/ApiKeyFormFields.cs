using Backside.Web.Dashboard;

namespace Backside.Web.Components.Pages.Settings.ApiKeys;

/// <summary>Conversions the key dialogs share between form fields and Core commands.</summary>
public static class ApiKeyFormFields
{
    public static string? ValidateName(string value) =>
        string.IsNullOrWhiteSpace(value) ? "Give the key a name, such as 'CI deploy'." : null;

    public static string? ValidateScopes(ScopeSelection scopes) =>
        scopes.IsEmpty ? "Choose at least one permission, or turn on full access." : null;

    public static DateTime Tomorrow(TimeProvider time) => time.GetUtcNow().UtcDateTime.Date.AddDays(1);

    /// <summary>A picked day means "stops working at 00:00 UTC that day".</summary>
    public static DateTimeOffset? ExpiryFrom(DateTime? day) =>
        day is { } value ? new DateTimeOffset(value.Date, TimeSpan.Zero) : null;

    public static DateTime? DayOf(DateTimeOffset? expiresAt) => expiresAt?.UtcDateTime.Date;

    /// <summary>One entry per line (or comma); blank lines ignored.</summary>
    public static IReadOnlyList<string> Lines(string? text) =>
        (text ?? "").Split(['\n', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

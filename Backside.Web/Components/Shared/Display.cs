using System.Globalization;

namespace Backside.Web.Components.Shared;

/// <summary>How times read in the dashboard: dates in UTC, recent moments relative to now.</summary>
public static class Display
{
    public static string Date(DateTimeOffset? value) =>
        value is null ? "—" : value.Value.UtcDateTime.ToString("MMM d, yyyy", CultureInfo.InvariantCulture);

    public static string DateTime(DateTimeOffset? value) =>
        value is null ? "—" : value.Value.UtcDateTime.ToString("MMM d, yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Ago(DateTimeOffset? value, DateTimeOffset now)
    {
        if (value is null)
            return "Never";
        var elapsed = now - value.Value;
        return elapsed switch
        {
            { TotalMinutes: < 1 } => "Just now",
            { TotalHours: < 1 } => Plural((int)elapsed.TotalMinutes, "minute"),
            { TotalDays: < 1 } => Plural((int)elapsed.TotalHours, "hour"),
            { TotalDays: < 30 } => Plural((int)elapsed.TotalDays, "day"),
            _ => Date(value),
        };
    }

    private static string Plural(int count, string unit) => count == 1 ? $"1 {unit} ago" : $"{count} {unit}s ago";
}

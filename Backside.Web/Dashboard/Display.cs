using System.Globalization;

namespace Backside.Web.Dashboard;

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

    /// <summary>"in 3 days", "in 5 hours", "in 12 minutes".</summary>
    public static string Until(DateTimeOffset value, DateTimeOffset now) => $"in {Remaining(value, now)}";

    /// <summary>"3 days", "5 hours", "12 minutes", "under a minute".</summary>
    public static string Remaining(DateTimeOffset value, DateTimeOffset now)
    {
        var left = value - now;
        return left switch
        {
            { TotalMinutes: < 1 } => "under a minute",
            { TotalHours: < 1 } => Count((int)left.TotalMinutes, "minute"),
            { TotalDays: < 1 } => Count((int)left.TotalHours, "hour"),
            _ => Count((int)left.TotalDays, "day"),
        };
    }

    private static string Count(int count, string unit) => count == 1 ? $"1 {unit}" : $"{count} {unit}s";

    private static string Plural(int count, string unit) => count == 1 ? $"1 {unit} ago" : $"{count} {unit}s ago";
}

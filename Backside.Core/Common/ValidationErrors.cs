namespace Backside.Core.Common;

/// <summary>Collects field errors under their snake_case wire names, so API clients see the field they sent.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool Any => errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var messages))
            errors[field] = messages = [];
        messages.Add(message);
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public OperationError ToError() => OperationError.Invalid(ToDictionary());

    /// <summary>Trims a required free-text field and records why it is unacceptable, if it is.</summary>
    public string? RequireText(string field, string? value, int maxLength)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
            Add(field, $"{field} is required.");
        else
            return OptionalText(field, trimmed, maxLength);
        return null;
    }

    /// <summary>Trims an optional free-text field (empty becomes null) and checks its length and characters.</summary>
    public string? OptionalText(string field, string? value, int maxLength)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
            return null;
        if (trimmed.Length > maxLength)
            Add(field, $"{field} must be at most {maxLength} characters.");
        else if (trimmed.Any(char.IsControl))
            Add(field, $"{field} must not contain control characters.");
        return trimmed;
    }
}

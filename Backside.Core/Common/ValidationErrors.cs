namespace Backside.Core.Common;

/// <summary>
/// Collects field errors under their snake_case wire names, so API clients see the field they sent. At most
/// <see cref="MaxErrors"/> are kept and the rest only counted, so no input can make the answer large.
/// </summary>
public sealed class ValidationErrors
{
    public const int MaxErrors = 20;

    /// <summary>How much of a rejected value a message quotes.</summary>
    public const int MaxQuotedLength = 64;

    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);
    private int kept;

    public bool Any => errors.Count > 0;

    /// <summary>Errors found but not kept, beyond <see cref="MaxErrors"/>.</summary>
    public int Omitted { get; private set; }

    public void Add(string field, string message)
    {
        if (kept == MaxErrors)
        {
            Omitted++;
            return;
        }
        if (!errors.TryGetValue(field, out var messages))
            errors[field] = messages = [];
        messages.Add(message);
        kept++;
    }

    /// <summary>A rejected value as a message may quote it: shortened, so a huge entry is not echoed back.</summary>
    public static string Quote(string? value) =>
        value is null ? "null" : value.Length <= MaxQuotedLength ? $"'{value}'" : $"'{value[..MaxQuotedLength]}…'";

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public OperationError ToError() => Omitted == 0
        ? OperationError.Invalid(ToDictionary())
        : OperationError.Invalid(ToDictionary()) with
        {
            Message = $"The request has invalid fields; the first {MaxErrors} errors are listed, {Omitted} more were left out.",
        };

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

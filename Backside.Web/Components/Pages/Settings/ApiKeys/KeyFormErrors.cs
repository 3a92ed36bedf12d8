using Backside.Core.Common;

namespace Backside.Web.Components.Pages.Settings.ApiKeys;

/// <summary>
/// A key dialog's errors by the field they belong to, so each is shown at that field and the first one is scrolled
/// into view. Core names fields as the API does (<c>allowed_referrers[1]</c> belongs to <c>allowed_referrers</c>), and
/// a privilege refusal names its dimension, which is a field too. What no field of the form shows (a plan's limit, a
/// role refused since the page loaded) is <see cref="General"/>.
/// </summary>
public sealed class KeyFormErrors
{
    public const string Name = "name";
    public const string Environment = "environment";
    public const string Scopes = "scopes";
    public const string RateLimit = "rate_limit_per_minute";
    public const string ExpiresAt = "expires_at";
    public const string AllowedIps = "allowed_ips";
    public const string AllowedReferrers = "allowed_referrers";
    public const string GracePeriod = "grace_period_seconds";

    /// <summary>Where a message with no field of its own goes; also its scroll target.</summary>
    public const string GeneralField = "general";

    private readonly Dictionary<string, string> byField = [];

    /// <param name="fields">The form's fields, top to bottom: the first in error is the one scrolled to.</param>
    public KeyFormErrors(params string[] fields) => Fields = fields;

    public IReadOnlyList<string> Fields { get; }

    public string? General { get; private set; }

    public bool Any => General is not null || byField.Count > 0;

    public bool Has(string field) => byField.ContainsKey(field);

    public string? this[string field] => byField.GetValueOrDefault(field);

    /// <summary>The first field in error, top to bottom (<see cref="GeneralField"/> last): where to scroll.</summary>
    public string? First => Fields.FirstOrDefault(byField.ContainsKey) ?? (General is null ? null : GeneralField);

    /// <summary>The form's own check of a field (<c>null</c> clears it).</summary>
    public void Set(string field, string? message)
    {
        if (message is null)
            byField.Remove(field);
        else
            byField[field] = message;
    }

    public void Clear(string field) => byField.Remove(field);

    public void ClearAll()
    {
        byField.Clear();
        General = null;
    }

    /// <summary>Core's refusal, spread over the form's fields.</summary>
    public void Show(OperationError error)
    {
        ClearAll();
        var unplaced = new List<string>();
        foreach (var (key, messages) in error.FieldErrors ?? new Dictionary<string, string[]>())
        {
            var field = FieldOf(key);
            if (Fields.Contains(field))
                byField[field] = byField.TryGetValue(field, out var earlier) ? $"{earlier} {string.Join(" ", messages)}" : string.Join(" ", messages);
            else
                unplaced.AddRange(messages);
        }
        if (error.FieldErrors is not { Count: > 0 } && error.Dimension is { } dimension && Fields.Contains(dimension))
            byField[dimension] = error.Message;
        else if (error.FieldErrors is not { Count: > 0 })
            unplaced.Add(error.Message);
        General = unplaced.Count == 0 ? null : string.Join(" ", unplaced);
    }

    /// <summary><c>allowed_ips[2]</c> → <c>allowed_ips</c>.</summary>
    private static string FieldOf(string key) => key.IndexOf('[', StringComparison.Ordinal) is var at and > 0 ? key[..at] : key;
}

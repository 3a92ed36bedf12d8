using System.Globalization;
using System.Text.RegularExpressions;
using Backside.Core.Common;

namespace Backside.Core.Audit;

/// <summary>
/// What the audit log page and its export select; every field that is set narrows the selection. <see cref="From"/>
/// is inclusive and <see cref="To"/> exclusive, both UTC. Build one from request text with <see cref="Parse"/>, which
/// answers bad input with field errors (a 400), never an exception.
/// </summary>
public sealed partial record AuditLogFilter
{
    public const int MaxSearchLength = 100;

    /// <summary>One of <see cref="AuditActions.All"/>.</summary>
    public string? Action { get; init; }

    /// <summary>A person (<c>usr_…</c>), a key (<c>key_…</c>) or a paying wallet (<c>0x…</c>).</summary>
    public string? ActorId { get; init; }

    /// <summary>The key the events are about.</summary>
    public string? ApiKeyId { get; init; }

    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }

    /// <summary>Text looked for in the action, actor, key, address, user agent and changes, and in the names of the organization's people and keys.</summary>
    public string? Search { get; init; }

    public static AuditLogFilter None { get; } = new();

    /// <summary>
    /// The filter a query string asks for. Dates are <c>yyyy-MM-dd</c> (a whole UTC day: <c>to</c> includes its day) or
    /// ISO 8601 times with an offset; empty values mean "any".
    /// </summary>
    public static OperationResult<AuditLogFilter> Parse(
        string? action, string? actorId, string? apiKeyId, string? from, string? to, string? search)
    {
        var errors = new ValidationErrors();
        var filter = new AuditLogFilter
        {
            Action = Blank(action),
            ActorId = Blank(actorId),
            ApiKeyId = Blank(apiKeyId),
            From = ParseTime(errors, "from", from, endOfDay: false),
            To = ParseTime(errors, "to", to, endOfDay: true),
            Search = Blank(search),
        };
        filter.Validate(errors);
        return errors.Any ? errors.ToError() : filter;
    }

    /// <summary>Records what is wrong with the filter, under the query parameters' names.</summary>
    public void Validate(ValidationErrors errors)
    {
        if (Action is not null && !AuditActions.All.Contains(Action, StringComparer.Ordinal))
            errors.Add("action", $"{ValidationErrors.Quote(Action)} is not an audit action.");
        if (ActorId is not null && !IsActorId(ActorId))
            errors.Add("actor", "actor must be a person (usr_…), a key (key_…) or a wallet address (0x and 40 hex digits).");
        if (ApiKeyId is not null && !EntityId.HasShape(ApiKeyId, EntityId.ApiKeyPrefix))
            errors.Add("key_id", "key_id must be an id starting with key_.");
        if (From is { } start && To is { } end && end <= start)
            errors.Add("to", "to must be after from.");
        if (Search is not null)
            errors.OptionalText("q", Search, MaxSearchLength);
    }

    public static bool IsActorId(string value) =>
        EntityId.HasShape(value, EntityId.UserPrefix) || EntityId.HasShape(value, EntityId.ApiKeyPrefix) || WalletAddress().IsMatch(value);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static DateTimeOffset? ParseTime(ValidationErrors errors, string field, string? value, bool endOfDay)
    {
        if (Blank(value) is not { } text)
            return null;
        if (text.Length <= 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return !endOfDay ? start : day == DateOnly.MaxValue ? DateTimeOffset.MaxValue : start.AddDays(1);
        }
        if (text.Length <= 40 && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            return time.ToUniversalTime();
        errors.Add(field, $"{field} must be a date (yyyy-MM-dd) or an ISO 8601 time.");
        return null;
    }

    [GeneratedRegex("^0x[0-9a-fA-F]{40}$")]
    private static partial Regex WalletAddress();
}

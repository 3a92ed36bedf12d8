using System.Globalization;
using System.Text;
using Backside.Core.Audit;

namespace Backside.Web.Dashboard;

/// <summary>
/// The audit log as CSV (RFC 4180), written as the rows are read. A cell a spreadsheet would run as a formula (one
/// starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return) gets a leading apostrophe, so
/// a key named <c>=HYPERLINK(…)</c> opens as text.
/// </summary>
public static class AuditCsv
{
    public static readonly string[] Header =
    [
        "sequence", "occurred_at", "action", "description", "actor_type", "actor_id", "actor", "key_id", "key",
        "ip_address", "user_agent", "details", "changes",
    ];

    /// <summary>Rows are flushed every <see cref="FlushEvery"/>, so the answer streams rather than collects.</summary>
    private const int FlushEvery = 200;

    public static async Task WriteAsync(Stream body, IAsyncEnumerable<AuditLogEntry> rows, CancellationToken ct)
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024, leaveOpen: true);
        await writer.WriteAsync(Line(Header));
        var written = 0;
        await foreach (var entry in rows.WithCancellation(ct))
        {
            await writer.WriteAsync(Line(Row(entry)));
            if (++written % FlushEvery == 0)
                await writer.FlushAsync(ct);
        }
        await writer.FlushAsync(ct);
    }

    public static string[] Row(AuditLogEntry entry)
    {
        var e = entry.Event;
        return
        [
            e.Sequence.ToString(CultureInfo.InvariantCulture),
            e.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            e.Action,
            AuditDisplay.Action(e.Action),
            e.ActorType,
            e.ActorId,
            entry.Actor.Text,
            e.ApiKeyId ?? "",
            entry.Key?.Text ?? "",
            e.IpAddress ?? "",
            e.UserAgent ?? "",
            string.Join("; ", AuditDisplay.Describe(entry)),
            e.Changes,
        ];
    }

    /// <summary>One CSV line: each cell defused (<see cref="Cell"/>), joined by commas, ended by CRLF.</summary>
    public static string Line(IEnumerable<string> cells) => string.Join(',', cells.Select(Cell)) + "\r\n";

    /// <summary>A cell as written: formula characters defused, then quoted when it holds a comma, a quote or a line break.</summary>
    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}

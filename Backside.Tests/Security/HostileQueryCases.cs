using System.Globalization;

namespace Backside.Tests.Security;

/// <summary>What a query case may be answered, beyond the rules every answer keeps (no 5xx, small refusals).</summary>
public enum HostileExpectation
{
    /// <summary>The input is invalid: a 4xx.</summary>
    Refused,

    /// <summary>The input is valid, however odd it looks: a 2xx.</summary>
    Accepted,

    /// <summary>Either may be right (a lenient parse, an unknown parameter): only the common rules hold.</summary>
    Either,
}

/// <summary>A GET endpoint and the query parameters it reads.</summary>
/// <param name="Route">The endpoint's route pattern, to prove every GET endpoint of the API has a target.</param>
/// <param name="Path">The path called, with real ids in it.</param>
/// <param name="CursorPrefix">The id prefix its <c>starting_after</c> takes, if it pages.</param>
/// <param name="IdPrefix">The prefix of the id in its path, if it has one; hostile ids are sent there too.</param>
/// <param name="MaxSuccessBytes">The largest valid answer: a list page, or for a usage series its longest one.</param>
public sealed record HostileQueryEndpoint(
    string Route, string Path, IReadOnlyList<string> Parameters, string? CursorPrefix = null, string? IdPrefix = null,
    int MaxSuccessBytes = HostileAnswerRules.MaxSuccessBytes);

public sealed record HostileQueryCase(string Family, HostileQueryEndpoint Endpoint, HostileRequest Request, HostileExpectation Expectation);

/// <summary>The real ids the cases use as cursors and filters, from the organization under test and from another one.</summary>
public sealed record HostileQueryIds(
    string KeyId, string ContactId, string AuditEventId, string OtherOrganizationKeyId, string UserId, string InvitationId);

/// <summary>
/// Query strings for every GET endpoint: extreme dates (year 1 and 9999, offsets that overflow), reversed and
/// oversized ranges, huge, negative and non-numeric numbers, malformed and tampered cursors, repeated parameters,
/// broken percent-encoding and very long values.
/// </summary>
public static class HostileQueryCases
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public static List<HostileQueryCase> Generate(IReadOnlyList<HostileQueryEndpoint> endpoints, HostileQueryIds ids, string authorization)
    {
        var cases = new List<HostileQueryCase>();
        foreach (var endpoint in endpoints)
        {
            void Add(string family, string query, HostileExpectation expectation) =>
                cases.Add(new HostileQueryCase(family, endpoint, new HostileRequest("GET", endpoint.Path, query)
                {
                    Headers = [new("Authorization", authorization)],
                }, expectation));

            foreach (var parameter in endpoint.Parameters)
            {
                foreach (var (value, expectation) in Values(parameter, endpoint, ids))
                    Add($"{parameter}={Show(value)}", $"{parameter}={Uri.EscapeDataString(value)}", expectation);
                var (first, _) = Values(parameter, endpoint, ids).First(v => v.Expectation == HostileExpectation.Accepted);
                var (bad, _) = Values(parameter, endpoint, ids).First(v => v.Expectation == HostileExpectation.Refused);
                Add($"{parameter} twice", $"{parameter}={Uri.EscapeDataString(first)}&{parameter}={Uri.EscapeDataString(first)}", HostileExpectation.Either);
                Add($"{parameter} twice, the second bad", $"{parameter}={Uri.EscapeDataString(first)}&{parameter}={Uri.EscapeDataString(bad)}", HostileExpectation.Refused);
                Add($"{parameter} 100 times", string.Join("&", Enumerable.Repeat($"{parameter}={Uri.EscapeDataString(first)}", 100)), HostileExpectation.Either);
                Add($"{parameter} empty", $"{parameter}=", HostileExpectation.Either);
                Add($"{parameter} without =", parameter, HostileExpectation.Either);
                Add($"{parameter} of 16 KB", $"{parameter}={new string('9', 16 * 1_024)}", HostileExpectation.Refused);
                foreach (var encoded in new[] { "%", "%2", "%zz", "%C3%28", "%FF%FE", "%ED%A0%80", "%00", "%0D%0A", "+", "%2B", "%25%30%30", "%u0041" })
                    Add($"{parameter} as raw {encoded}", $"{parameter}={encoded}", HostileExpectation.Either);
                Add($"{parameter} with an encoded name", $"{Uri.EscapeDataString(parameter).Replace("_", "%5F", StringComparison.Ordinal)}={Uri.EscapeDataString(first)}", HostileExpectation.Either);
                Add($"{parameter} in other casing", $"{parameter.ToUpperInvariant()}={Uri.EscapeDataString(bad)}", HostileExpectation.Refused);
                Add($"{parameter}[]", $"{parameter}[]={Uri.EscapeDataString(bad)}", HostileExpectation.Either);
            }

            if (endpoint.Parameters.Contains("from"))
            {
                foreach (var (from, to, expectation) in Ranges())
                    Add($"from {from} to {to}", $"from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}", expectation);
                if (endpoint.Parameters.Contains("granularity"))
                {
                    foreach (var (from, to, expectation) in Ranges())
                        Add($"by day from {from} to {to}", $"granularity=day&from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}", expectation);
                }
            }

            if (endpoint.IdPrefix is { } idPrefix)
            {
                var real = idPrefix == "key" ? ids.KeyId : ids.ContactId;
                foreach (var id in HostileIds(idPrefix, real, ids))
                {
                    cases.Add(new HostileQueryCase($"the id {Show(id)}", endpoint, new HostileRequest("GET", endpoint.Path.Replace(real, id, StringComparison.Ordinal))
                    {
                        Headers = [new("Authorization", authorization)],
                    }, HostileExpectation.Refused));
                }
            }

            Add("no query", "", HostileExpectation.Accepted);
            Add("an unknown parameter", "nope=1", HostileExpectation.Accepted);
            Add("500 unknown parameters", string.Join("&", Enumerable.Range(0, 500).Select(i => $"p{i}={i}")), HostileExpectation.Accepted);
            Add("an unknown parameter of 32 KB", $"nope={new string('x', 32 * 1_024)}", HostileExpectation.Accepted);
            Add("a query of only separators", "&&&&===&&", HostileExpectation.Either);
            Add("a parameter named with a NUL", "%00=1", HostileExpectation.Either);
            Add("a parameter named with 4 KB", $"{new string('n', 4_096)}=1", HostileExpectation.Either);
        }
        return cases;
    }

    /// <summary>Ids for a path: wrong shapes, tampered, another kind, another organization's; the server sees them decoded.</summary>
    private static IEnumerable<string> HostileIds(string prefix, string real, HostileQueryIds ids)
    {
        yield return real[..^1] + (real[^1] == '0' ? '1' : '0');
        yield return real.ToUpperInvariant();
        yield return real + "\u0000";
        yield return real + " ";
        yield return real + "'";
        yield return $"{prefix}_{new string('0', 32)}";
        yield return $"{prefix}_";
        yield return prefix == "key" ? ids.ContactId : ids.KeyId;
        if (prefix == "key")
            yield return ids.OtherOrganizationKeyId;
        yield return new string('i', 4_096);
        yield return "\u00e9\u202e😀";
        yield return "%00";
        yield return "..";
        yield return "null";
    }

    private static string Show(string value) => value.Length > 60 ? $"{value[..40]}… ({value.Length} chars)" : value;

    private static IEnumerable<(string Value, HostileExpectation Expectation)> Values(string parameter, HostileQueryEndpoint endpoint, HostileQueryIds ids) =>
        parameter switch
        {
            "limit" => Numbers(),
            "starting_after" => Cursors(endpoint.CursorPrefix!, ids),
            "key_id" => KeyIds(ids),
            "from" or "to" => Dates(parameter),
            "status" when endpoint.Route == "/api/v1/invitations" => Enumeration(["pending", "all"], caseInsensitive: false),
            "status" => Enumeration(["active", "inactive", "revoked", "expired"], caseInsensitive: true),
            "environment" => Enumeration(["live", "test"], caseInsensitive: false),
            "granularity" => Enumeration(["hour", "day"], caseInsensitive: false),
            "q" => Searches(),
            _ => throw new ArgumentOutOfRangeException(nameof(parameter), parameter, "No values for this parameter."),
        };

    private static IEnumerable<(string, HostileExpectation)> Numbers()
    {
        foreach (var valid in new[] { "1", "10", "100" })
            yield return (valid, HostileExpectation.Accepted);
        foreach (var invalid in new[] { "0", "-1", "101", "-2147483648", "2147483647", "2147483648", "-2147483649", "9223372036854775808",
                     "99999999999999999999999999999999", "1e3", "1.5", "5.0", "0x10", "1_000", "1,000", "abc", "NaN", "Infinity", "∞", "true",
                     "١٠", "５", "10abc", "--1", "1-", new string('9', 5_000), "\u0000" })
            yield return (invalid, HostileExpectation.Refused);
        // Lenient number parsing may read these as 5 (.NET's parsers also stop at trailing NULs).
        foreach (var lenient in new[] { "+5", " 5", "5 ", "05", "-0", "5\u0000" })
            yield return (lenient, HostileExpectation.Either);
    }

    private static IEnumerable<(string, HostileExpectation)> Cursors(string prefix, HostileQueryIds ids)
    {
        var own = prefix switch { "key" => ids.KeyId, "con" => ids.ContactId, "usr" => ids.UserId, "inv" => ids.InvitationId, _ => ids.AuditEventId };
        yield return (own, HostileExpectation.Accepted);
        // A tampered id of the right shape still names a place in the id order; the audit log pages by its chain's
        // sequence instead, so there the cursor must be one of its events.
        var position = prefix == "evt" ? HostileExpectation.Refused : HostileExpectation.Accepted;
        yield return (own[..^1] + (own[^1] == '0' ? '1' : '0'), position);
        yield return ($"{prefix}_{new string('0', 32)}", position);
        yield return ($"{prefix}_{new string('f', 32)}", position);
        if (prefix == "key")
            yield return (ids.OtherOrganizationKeyId, HostileExpectation.Accepted); // a position only: it lists nothing of the other organization
        foreach (var invalid in new[] { own.ToUpperInvariant(), own + "0", own[..^1], own + " ", " " + own, own + "\u0000", own.Replace('_', '-'),
                     $"{prefix}_{new string('g', 32)}", $"{prefix}_{new string('0', 31)}\u00e9", $"{prefix}_", prefix, "x", "-1", "0", "null",
                     "eyJpZCI6ImtleV8xIn0=", $"{prefix}_{new string('0', 2_000)}", $"{own}' OR '1'='1", "%", "_", "../" + own,
                     prefix == "key" ? ids.ContactId : ids.KeyId, prefix == "evt" ? ids.ContactId : ids.AuditEventId })
            yield return (invalid, HostileExpectation.Refused);
    }

    private static IEnumerable<(string, HostileExpectation)> KeyIds(HostileQueryIds ids)
    {
        yield return (ids.KeyId, HostileExpectation.Accepted);
        yield return (ids.OtherOrganizationKeyId, HostileExpectation.Accepted); // no events of another organization's key here
        yield return ($"key_{new string('0', 32)}", HostileExpectation.Accepted);
        foreach (var invalid in new[] { ids.KeyId.ToUpperInvariant(), ids.KeyId + "\u0000", ids.ContactId, "key_", "key", "", "%", "*", "null", ids.KeyId + "' --", new string('k', 4_000) })
            yield return (invalid, HostileExpectation.Refused);
    }

    private static IEnumerable<(string, HostileExpectation)> Dates(string parameter)
    {
        // Alone, each end makes a range of a day or a month with the other end's default.
        yield return (parameter == "from" ? "2026-11-23T00:00:00Z" : "2026-11-23T13:00:00Z", HostileExpectation.Accepted);
        // Inside the supported calendar, with a range that may or may not fit depending on the other end's default.
        foreach (var inside in new[] { "2026-11-23T00:00:00Z", "2026-11-22T12:00:00+00:00", "2026-11-23T06:00:00-05:00", "2026-11-23",
                     "2026-11-23T11:59:59.9999999Z", "1970-01-01T00:00:00Z", "9000-01-01T00:00:00Z", "8999-12-31T23:59:59Z", "Mon, 23 Nov 2026 00:00:00 GMT", "11/23/2026" })
            yield return (inside, HostileExpectation.Either);
        foreach (var outside in new[] { "0001-01-01T00:00:00Z", "0001-01-01", "0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00-14:00",
                     "9999-12-31T23:59:59Z", "9999-12-31", "9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59-14:00", "9999-12-31T23:59:59+14:00",
                     "10000-01-01T00:00:00Z", "+010000-01-01", "-0001-01-01", "1969-12-31T23:59:59Z", "9000-01-01T00:00:00.0000001Z",
                     "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-23T25:00:00Z", "2026-11-23T00:00:00+99:00", "2026-11-23T00:00:00+14:01",
                     "not-a-date", "now", "today", "-1", "0", "1764000000", "1e10", "NaN", "٢٠٢٦-١١-٢٣", "2026-11-23T00:00:00 PST",
                     new string('2', 3_000) })
            yield return (outside, HostileExpectation.Refused);
        // Lenient: an empty value may count as none, and .NET's date parser stops at trailing NULs.
        yield return ("", HostileExpectation.Either);
        yield return ((parameter == "from" ? "2026-11-23T00:00:00Z" : "2026-11-23T13:00:00Z") + "\u0000", HostileExpectation.Either);
    }

    private static IEnumerable<(string From, string To, HostileExpectation Expectation)> Ranges()
    {
        static string At(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture);
        yield return (At(Now.AddDays(-92)), At(Now), HostileExpectation.Accepted);
        yield return (At(Now.AddDays(-1)), At(Now), HostileExpectation.Accepted);
        yield return ("1970-01-01T00:00:00Z", "1970-01-02T00:00:00Z", HostileExpectation.Accepted);
        yield return ("8999-12-31T00:00:00Z", "9000-01-01T00:00:00Z", HostileExpectation.Accepted);
        yield return ("8999-12-31T09:00:00Z", "9000-01-01T00:00:00+14:00", HostileExpectation.Accepted); // to is 8999-12-31T10:00Z
        yield return ("8999-12-31T10:00:00Z", "9000-01-01T00:00:00+14:00", HostileExpectation.Refused); // the same instant
        yield return (At(Now.AddDays(-92).AddHours(-1)), At(Now), HostileExpectation.Refused);
        yield return (At(Now), At(Now.AddDays(-1)), HostileExpectation.Refused);
        yield return (At(Now), At(Now), HostileExpectation.Refused);
        yield return ("9999-12-31T00:00:00Z", "0001-01-01T00:00:00Z", HostileExpectation.Refused);
        yield return ("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", HostileExpectation.Refused);
        yield return ("1970-01-01T00:00:00Z", "9000-01-01T00:00:00Z", HostileExpectation.Refused);
        yield return ("2026-11-23T00:00:00+14:00", "2026-11-22T23:00:00-10:00", HostileExpectation.Accepted); // the offsets put from first
        yield return ("2026-11-23T00:00:00-14:00", "2026-11-23T00:00:00+14:00", HostileExpectation.Refused); // and here after to
    }

    private static IEnumerable<(string, HostileExpectation)> Enumeration(string[] values, bool caseInsensitive)
    {
        foreach (var value in values)
        {
            yield return (value, HostileExpectation.Accepted);
            yield return (value.ToUpperInvariant(), caseInsensitive ? HostileExpectation.Accepted : HostileExpectation.Refused);
            yield return (value + "\u0000", HostileExpectation.Refused);
            yield return ($"{value},{value}", HostileExpectation.Refused);
            yield return ($" {value}", HostileExpectation.Refused);
            yield return (string.Concat(value.Select(c => (char)(c + 0xFEE0))), HostileExpectation.Refused);
        }
        foreach (var invalid in new[] { "nope", "0", "1", "-1", "99", "*", "%", "null", "all", string.Join(",", values), new string('a', 8_000) }.Except(values))
            yield return (invalid, HostileExpectation.Refused);
    }

    private static IEnumerable<(string, HostileExpectation)> Searches()
    {
        foreach (var pattern in new[] { "Hostile", "%", "_", "%%", "[a-z]", "\\", "\\%", "'", "\"", "' OR 1=1 --", "😀", "\u0301", "\u202e", "ΑΒΓ", "a\tb" })
            yield return (pattern, pattern.Contains('\t', StringComparison.Ordinal) ? HostileExpectation.Refused : HostileExpectation.Accepted);
        foreach (var invalid in new[] { new string('q', 101), new string('%', 8_000), "a\u0000b", "\u001b[31m" })
            yield return (invalid, HostileExpectation.Refused);
    }
}

using System.Text;
using Microsoft.Extensions.Primitives;

namespace Backside.Tests.Security;

/// <summary>What a field holds, which decides the values of the wrong type for it.</summary>
public enum HostileFieldKind
{
    Text,
    Number,
    Date,
    List,
}

/// <summary>A field of a write endpoint's body with a valid value (raw JSON).</summary>
/// <param name="Range">For a number, the values the endpoint accepts: those are not hostile.</param>
public sealed record HostileField(string Name, HostileFieldKind Kind, string Valid, bool Required = false, (long Min, long Max)? Range = null)
{
    public bool Accepts(string raw) =>
        Range is { } range && long.TryParse(raw, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n)
        && n >= range.Min && n <= range.Max;
}

/// <summary>How an endpoint takes its body.</summary>
public enum HostileBodyUse
{
    /// <summary>The body is the request: without a valid one nothing happens.</summary>
    Required,

    /// <summary>An empty body is a valid request (rotate without a grace period).</summary>
    Optional,

    /// <summary>The endpoint reads no body; none, or <c>{}</c>, is the valid request.</summary>
    None,
}

/// <summary>One write endpoint under attack: where it is, how it is called, and its fields.</summary>
/// <param name="Authorization">The credential sent with every case, or null for the anonymous session endpoints.</param>
/// <param name="MayIgnoreWellFormed">
/// The endpoint answers 2xx for a well-formed body that names nothing it knows (logout of an unknown session), so
/// such cases are not refused there; the database snapshot still proves they changed nothing.
/// </param>
/// <param name="Route">The endpoint's route pattern, to prove every write endpoint of the API has a target.</param>
public sealed record HostileBodyTarget(
    string Route, string Method, string Path, HostileBodyUse Use, IReadOnlyList<HostileField> Fields, string? Authorization,
    bool MayIgnoreWellFormed = false)
{
    public string ValidJson => Object(Fields.Select(f => (f.Name, f.Valid)));

    public static string Object(IEnumerable<(string Name, string Value)> members) =>
        "{" + string.Join(",", members.Select(m => $"\"{m.Name}\":{m.Value}")) + "}";
}

/// <summary>A generated body for a target, and whether a 2xx could be right for it.</summary>
public sealed record HostileBodyCase(string Family, HostileBodyTarget Target, HostileRequest Request, bool WellFormed = false);

/// <summary>
/// Bodies for every write endpoint: malformed JSON, 10,000-deep nesting, duplicate members, the wrong type for each
/// field, huge strings and arrays, NUL characters, the wrong content type and the wrong encoding. Each case differs
/// from a valid request in one way only, so a 2xx would mean the server let that one thing through.
/// </summary>
public static class HostileBodyCases
{
    private const int Depth = 10_000;

    public static List<HostileBodyCase> Generate(HostileBodyTarget target, long maxBodyBytes)
    {
        var cases = new List<HostileBodyCase>();
        void Add(string family, byte[] body, string? contentType = "application/json", bool wellFormed = false) =>
            cases.Add(new HostileBodyCase(family, target, Request(target, body, contentType), wellFormed));
        void AddJson(string family, string json, string? contentType = "application/json", bool wellFormed = false) =>
            Add(family, Encoding.UTF8.GetBytes(json), contentType, wellFormed);

        foreach (var malformed in Malformed(target))
            AddJson("malformed JSON", malformed);

        AddJson("arrays nested 10,000 deep", new string('[', Depth) + new string(']', Depth));
        AddJson("objects nested 10,000 deep", string.Concat(Enumerable.Repeat("{\"a\":", Depth)) + "1" + new string('}', Depth));
        AddJson("arrays nested 10,000 deep, unclosed", new string('[', Depth));
        var fields = target.Fields.Count > 0 ? target.Fields : [new HostileField("x", HostileFieldKind.Text, "\"x\"")];
        foreach (var field in fields)
        {
            AddJson($"{field.Name} nested 10,000 deep", With(target, field, new string('[', Depth) + new string(']', Depth)));
            AddJson($"{field.Name} as objects nested 10,000 deep",
                With(target, field, string.Concat(Enumerable.Repeat("{\"a\":", Depth)) + "1" + new string('}', Depth)));
        }

        foreach (var field in fields)
        {
            var others = OthersThan(target, field);
            AddJson($"{field.Name} twice", HostileBodyTarget.Object([.. others, (field.Name, field.Valid), (field.Name, field.Valid)]));
            AddJson($"{field.Name} twice, null last", HostileBodyTarget.Object([.. others, (field.Name, field.Valid), (field.Name, "null")]));
            AddJson($"{field.Name} twice in other casing", HostileBodyTarget.Object([.. others, (field.Name, field.Valid), (field.Name.ToUpperInvariant(), field.Valid)]));
        }
        AddJson("an unknown member", Append(target, "unknown", "1"));
        AddJson("an unknown member named __proto__", Append(target, "__proto__", "{}"));
        AddJson("an empty member name", Append(target, "", "1"));
        AddJson("a member name with a NUL", Append(target, "na\\u0000me", "\"x\""));
        AddJson("5,000 unknown members", target.ValidJson.TrimEnd('}') + (target.Fields.Count > 0 ? "," : "")
            + string.Join(",", Enumerable.Range(0, 5_000).Select(i => $"\"m{i}\":{i}")) + "}");

        foreach (var field in target.Fields)
        {
            foreach (var wrong in WrongValues(field))
                AddJson($"{field.Name} as {wrong}", With(target, field, wrong));
            if (field.Required)
            {
                AddJson($"{field.Name} null", With(target, field, "null"));
                AddJson($"{field.Name} left out", HostileBodyTarget.Object(OthersThan(target, field)));
            }
        }

        var nearCap = (int)maxBodyBytes - 200;
        foreach (var field in fields.Where(f => f.Kind is HostileFieldKind.Text))
        {
            AddJson($"{field.Name} of {nearCap / 1_024} KB", With(target, field, $"\"{new string('n', nearCap)}\""), wellFormed: true);
            AddJson($"{field.Name} of {nearCap / 1_024} KB of escaped NULs", With(target, field, $"\"{string.Concat(Enumerable.Repeat("\\u0000", nearCap / 6))}\""), wellFormed: true);
            AddJson($"{field.Name} of {nearCap / 1_024} KB of escaped surrogate pairs", With(target, field, $"\"{string.Concat(Enumerable.Repeat("\\ud83d\\ude00", nearCap / 12))}\""), wellFormed: true);
            AddJson($"{field.Name} past the body cap", With(target, field, $"\"{new string('n', (int)maxBodyBytes)}\""));
            AddJson($"{field.Name} with an escaped NUL", With(target, field, InsertIntoString(field.Valid, "\\u0000")), wellFormed: true);
            AddJson($"{field.Name} with escaped control characters", With(target, field, InsertIntoString(field.Valid, "\\u0001\\u001b\\u007f")), wellFormed: true);
            Add($"{field.Name} with a raw NUL byte", Encoding.UTF8.GetBytes(With(target, field, InsertIntoString(field.Valid, "\0"))));
            Add($"{field.Name} with a raw newline", Encoding.UTF8.GetBytes(With(target, field, InsertIntoString(field.Valid, "\n"))));
            AddJson($"{field.Name} with a lone surrogate escape", With(target, field, InsertIntoString(field.Valid, "\\ud800")));
            AddJson($"{field.Name} with an invalid escape", With(target, field, InsertIntoString(field.Valid, "\\q")));
            foreach (var (name, bytes) in InvalidUtf8)
                Add($"{field.Name} with {name}", Splice(With(target, field, InsertIntoString(field.Valid, "\u0001")), "\u0001", bytes));
        }
        foreach (var field in target.Fields.Where(f => f.Kind is HostileFieldKind.List))
        {
            AddJson($"{field.Name} with 101 entries", With(target, field, "[" + string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"e{i}\"")) + "]"));
            var count = nearCap / 3;
            AddJson($"{field.Name} with {count:N0} empty entries", With(target, field, "[" + string.Join(",", Enumerable.Repeat("\"\"", count)) + "]"));
            AddJson($"{field.Name} with {count:N0} nulls", With(target, field, "[" + string.Join(",", Enumerable.Repeat("null", count / 2)) + "]"));
            var firstEntry = field.Valid[1..^1].Split(',')[0];
            AddJson($"{field.Name} with an entry holding an escaped NUL", With(target, field, $"[{InsertIntoString(firstEntry, "\\u0000")}]"));
            AddJson($"{field.Name} with one entry of {nearCap / 1_024} KB", With(target, field, $"[\"{new string('e', nearCap)}\"]"));
        }
        foreach (var field in target.Fields.Where(f => f.Kind is HostileFieldKind.Number))
        {
            foreach (var extreme in new[] { "0", "-1", "-2147483648", "2147483647", "2147483648", "-2147483649", "9223372036854775808", "1e400", "-1e400", "0.5", "1.0e0", "-0" }.Where(e => !field.Accepts(e)))
                AddJson($"{field.Name} = {extreme}", With(target, field, extreme));
            AddJson($"{field.Name} of 60,000 digits", With(target, field, new string('9', 60_000)));
        }
        foreach (var field in target.Fields.Where(f => f.Kind is HostileFieldKind.Date))
        {
            foreach (var extreme in new[] { "0001-01-01T00:00:00Z", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "10000-01-01T00:00:00Z",
                         "1970-01-01T00:00:00Z", "2026-11-23T12:00:00Z", "2026-02-30T00:00:00Z", "2026-11-23T24:00:01Z", "2026-11-23T00:00:00+99:00" })
                AddJson($"{field.Name} = {extreme}", With(target, field, $"\"{extreme}\""));
        }

        var valid = Encoding.UTF8.GetBytes(target.Use == HostileBodyUse.None ? """{"x":1}""" : target.ValidJson);
        foreach (var contentType in WrongContentTypes)
            Add($"Content-Type {contentType ?? "missing"}", valid, contentType);
        Add("the body as UTF-16", Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(valid)));
        Add("the body as UTF-16 with a byte order mark", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(valid))]);
        Add("the body as UTF-16 big-endian", Encoding.BigEndianUnicode.GetBytes(Encoding.UTF8.GetString(valid)));
        Add("the body as UTF-32", Encoding.UTF32.GetBytes(Encoding.UTF8.GetString(valid)));
        Add("the body as UTF-16, declared", Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(valid)), "application/json; charset=utf-16");
        Add("the body as Latin-1, declared", Encoding.Latin1.GetBytes(Encoding.UTF8.GetString(valid)), "application/json; charset=iso-8859-1");
        return cases;
    }

    private static HostileRequest Request(HostileBodyTarget target, byte[] body, string? contentType) =>
        new(target.Method, target.Path)
        {
            Body = body,
            ContentType = contentType,
            Headers = target.Authorization is null ? [] : [new KeyValuePair<string, StringValues>("Authorization", target.Authorization)],
        };

    private static IEnumerable<string> Malformed(HostileBodyTarget target)
    {
        var valid = target.ValidJson;
        string[] always =
        [
            "{", "}", "[", "]", "{]", "[}", "{\"", "{\"a\"", "{\"a\":", "{\"a\":}", "{,}", "{\"a\":1,}", "{\"a\" 1}", "{'a':1}", "{a:1}",
            "[1,2,3]", "[]", "\"text\"", "12", "-0", "true", "false", "NaN", "Infinity", "undefined", "nul", "{}{}", "{} {}", "{}x",
            "/* comment */ {}", "{} // comment", "\u0000", "\u0000{}", "{}\u0000", "\u00ef\u00bb\u00bf", "\ufeff\ufeff{}", " ", "\t\r\n",
            "<xml/>", "name=x", "--boundary\r\n", "\\", "\"\\u", "{\"a\":\"\\u12\"}", "{\"a\":1e}", "{\"a\":01}", "{\"a\":.5}", "{\"a\":+1}",
            "{\"a\":0x10}", "{\"a\":tru}", "{\"a\":\"unterminated}",
        ];
        foreach (var text in always)
        {
            // Whitespace and {} are the valid request where the endpoint reads no body; null and nothing where it is optional.
            if (target.Use == HostileBodyUse.None && text.Trim(' ', '\t', '\r', '\n').Length == 0)
                continue;
            if (target.Use == HostileBodyUse.Optional && text.Trim(' ', '\t', '\r', '\n').Length == 0)
                continue;
            yield return text;
        }
        if (target.Use != HostileBodyUse.Optional)
            yield return "null";
        if (target.Use == HostileBodyUse.None)
            yield break;
        yield return valid[..^1];
        yield return valid + "}";
        yield return valid + valid;
        yield return valid + ",";
        yield return "[" + valid + "]";
        yield return valid.Replace(":", "=", StringComparison.Ordinal);
        yield return valid.Replace("\"", "'", StringComparison.Ordinal);
        yield return valid.Replace(",", ",,", StringComparison.Ordinal) is var doubled && doubled != valid ? doubled : valid + ",,";
        yield return valid.Insert(valid.Length - 1, ",");
    }

    /// <summary>Values of the wrong type for the field; never one the serializer may read as the right type.</summary>
    private static IEnumerable<string> WrongValues(HostileField field)
    {
        string[] common = ["true", "false", "{}", "{\"a\":1}", "[[]]"];
        foreach (var value in common)
            yield return value;
        switch (field.Kind)
        {
            case HostileFieldKind.Text:
                foreach (var value in new[] { "1", "-1.5", "1e400", "[]", "[\"x\"]", "[1]" })
                    yield return value;
                break;
            case HostileFieldKind.Number:
                // Web defaults read numbers from strings ("60"), so only strings that are no number are wrong.
                foreach (var value in new[] { "\"abc\"", "\"\"", "\"1e3\"", "\"0x3C\"", "\" 60\"", "\"NaN\"", "\"Infinity\"", "[]", "[1]" })
                    yield return value;
                break;
            case HostileFieldKind.Date:
                foreach (var value in new[] { "1", "1764000000", "\"\"", "\"not a date\"", "\"2026-13-01T00:00:00Z\"", "\"23/11/2026\"", "\"now\"", "[]", "[\"2027-01-01T00:00:00Z\"]" })
                    yield return value;
                break;
            case HostileFieldKind.List:
                foreach (var value in new[] { "\"contacts:read\"", "1", "[1]", "[true]", "[{}]", "[[\"contacts:read\"]]", "[\"contacts:read\",1]", "{\"0\":\"contacts:read\"}" })
                    yield return value;
                break;
        }
    }

    private static readonly string?[] WrongContentTypes =
    [
        null, "text/plain", "text/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml",
        "application/octet-stream", "application/jsonx", "application/json-seq", "json", "*/*", "application/*", "application/json, text/plain",
        "application/json; charset=latin1", "application/json; charset=iso-8859-1", "application/json; charset=utf-16",
        "application/json; charset=utf-32", "application/json; charset=us-ascii", "application/json; charset=utf8", "application/json; charset=\"utf-8\"", "application/json; charset=utf-7", "application/json; charset=foo",
        "application/json; charset=\"\"", "application/json; charset=" + new string('x', 2_000), "application/json\u0000", "", " ",
    ];

    private static readonly (string Name, byte[] Bytes)[] InvalidUtf8 =
    [
        ("an invalid UTF-8 pair", [0xC3, 0x28]),
        ("a 0xFF byte", [0xFF]),
        ("an overlong UTF-8 slash", [0xC0, 0xAF]),
        ("a UTF-8 encoded surrogate", [0xED, 0xA0, 0x80]),
        ("a code point past U+10FFFF", [0xF4, 0x90, 0x80, 0x80]),
        ("a lone continuation byte", [0x80]),
        ("a truncated UTF-8 sequence", [0xE2, 0x82]),
        ("a Latin-1 é", [0xE9]),
    ];

    private static IEnumerable<(string Name, string Value)> OthersThan(HostileBodyTarget target, HostileField field) =>
        target.Fields.Where(f => f != field).Select(f => (f.Name, f.Valid));

    /// <summary>The valid body with one field's value replaced by raw JSON (or the only member, where there are no fields).</summary>
    private static string With(HostileBodyTarget target, HostileField field, string value) =>
        target.Fields.Contains(field)
            ? HostileBodyTarget.Object(target.Fields.Select(f => (f.Name, f == field ? value : f.Valid)))
            : HostileBodyTarget.Object([(field.Name, value)]);

    private static string Append(HostileBodyTarget target, string name, string value) =>
        HostileBodyTarget.Object([.. target.Fields.Select(f => (f.Name, f.Valid)), (name, value)]);

    /// <summary>A JSON string literal with text spliced into its middle: "ab" becomes "a…b".</summary>
    private static string InsertIntoString(string literal, string insert)
    {
        var middle = Math.Max(1, literal.Length / 2);
        return literal[..middle] + insert + literal[middle..];
    }

    private static byte[] Splice(string json, string marker, byte[] bytes)
    {
        var at = json.IndexOf(marker, StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(json[..at]), .. bytes, .. Encoding.UTF8.GetBytes(json[(at + marker.Length)..])];
    }
}

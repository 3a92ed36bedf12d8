using System.Security.Cryptography;
using System.Text;
using Backside.Core.ApiKeys;
using Microsoft.Extensions.Primitives;

namespace Backside.Tests.Security;

/// <summary>The real credentials of the organization under attack, which the cases bend, mix up and combine.</summary>
/// <param name="Secret">A working full-access live key.</param>
/// <param name="KeyId">Its id (for the pair form).</param>
/// <param name="VictimKeyId">Another key of the organization, which no case may change.</param>
/// <param name="RevokedSecret">A real key of the organization, revoked.</param>
/// <param name="AccessToken">A working access token of the organization's Owner.</param>
public sealed record HostileCredentials(string Secret, string KeyId, string VictimKeyId, string RevokedSecret, string AccessToken);

/// <summary>One generated request and the family it comes from, for the failure message and the tally.</summary>
public sealed record HostileCredentialCase(string Family, HostileRequest Request)
{
    /// <summary>The case sends two credentials, which must be refused as ambiguous whatever either one is worth.</summary>
    public bool TwoCredentials { get; init; }
}

/// <summary>
/// Thousands of credential headers no server should accept, made from one fixed seed so every run sends the same
/// ones: empty and huge values, control and unicode characters, wrong prefixes, well-formed keys with a valid
/// checksum that match nothing, near misses of the real key and token, every header form (bearer in any casing,
/// X-API-Key, the pair form and its halves), repeated headers and two credentials at once, each sent to an endpoint
/// that reads, writes or costs money.
/// </summary>
public static class HostileCredentialCases
{
    public const int Seed = 13;

    private const string Alphabet = ApiKeyFormat.Alphabet;

    public static List<HostileCredentialCase> Generate(HostileCredentials real)
    {
        var random = new Random(Seed);
        var values = Values(random, real).ToList();
        var forms = Forms(real);
        var targets = Targets(real);
        var cases = new List<HostileCredentialCase>();
        foreach (var (family, value) in values)
        {
            // Each value in a dozen of the forms, chosen by the seed; the value that must never work, in all of them.
            var chosen = forms.Count <= 12 ? forms : forms.OrderBy(_ => random.Next()).Take(12).ToList();
            foreach (var form in chosen.Where(f => f.Works?.Invoke(value) != true))
            {
                var target = targets[random.Next(targets.Count)];
                cases.Add(new HostileCredentialCase($"{family} in {form.Name}", target with { Headers = form.Headers(value) })
                {
                    TwoCredentials = form.TwoCredentials,
                });
            }
        }
        foreach (var (family, headers, two) in FixedCases(real))
            foreach (var target in targets)
                cases.Add(new HostileCredentialCase(family, target with { Headers = headers }) { TwoCredentials = two });
        return cases;
    }

    /// <summary>Endpoints that read, write, cost money or manage keys; the writes are valid but for the credential.</summary>
    private static List<HostileRequest> Targets(HostileCredentials real)
    {
        static byte[] Json(string json) => Encoding.UTF8.GetBytes(json);
        return
        [
            new("GET", "/api/v1/api-keys"),
            new("GET", "/api/v1/contacts"), // priced: 402 without any credential
            new("GET", "/api/v1/ping"),
            new("GET", "/api/v1/audit-events"),
            new("GET", "/api/v1/usage"),
            new("GET", $"/api/v1/api-keys/{real.VictimKeyId}/usage"),
            new("POST", "/api/v1/contacts") { ContentType = "application/json", Body = Json("""{"name":"Intruder"}""") },
            new("POST", "/api/v1/api-keys") { ContentType = "application/json", Body = Json("""{"name":"Intruder"}""") },
            new("PATCH", $"/api/v1/api-keys/{real.VictimKeyId}") { ContentType = "application/json", Body = Json("""{"name":"Pwned"}""") },
            new("POST", $"/api/v1/api-keys/{real.VictimKeyId}/rotate"),
            new("POST", $"/api/v1/api-keys/{real.VictimKeyId}/deactivate"),
            new("DELETE", $"/api/v1/api-keys/{real.VictimKeyId}"),
        ];
    }

    /// <param name="Works">The values that are a working credential in this form (so are not hostile there).</param>
    private sealed record Form(
        string Name, Func<string, List<KeyValuePair<string, StringValues>>> Headers, bool TwoCredentials = false, Func<string, bool>? Works = null);

    private static KeyValuePair<string, StringValues> H(string name, StringValues value) => new(name, value);

    /// <summary>Where a candidate value goes. Every form is one a client could send; none may let a bad value through.</summary>
    private static List<Form> Forms(HostileCredentials real) =>
    [
        new("Authorization: Bearer", v => [H("Authorization", "Bearer " + v)]),
        new("Authorization: bearer", v => [H("Authorization", "bearer " + v)]),
        new("Authorization: BEARER", v => [H("Authorization", "BEARER " + v)]),
        new("Authorization: Bearer with two spaces", v => [H("Authorization", "Bearer  " + v)]),
        new("Authorization: Bearer with a tab", v => [H("Authorization", "Bearer\t" + v)]),
        new("Authorization without a scheme", v => [H("Authorization", v)], Works: v => v == "Bearer " + real.Secret),
        new("Authorization: Basic", v => [H("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(v + ":")))]),
        new("Authorization: ApiKey", v => [H("Authorization", "ApiKey " + v)]),
        new("X-API-Key", v => [H("X-API-Key", v)]),
        new("x-api-key", v => [H("x-api-key", v)]),
        new("the pair's secret", v => [H("X-Api-Key", real.KeyId), H("X-Api-Secret", v)]),
        new("the pair's id", v => [H("X-Api-Key", v), H("X-Api-Secret", real.Secret)], Works: v => v == real.KeyId),
        new("X-Api-Secret alone", v => [H("X-Api-Secret", v)]),
        new("a second Authorization", v => [H("Authorization", new StringValues(["Bearer " + v, "Bearer " + real.Secret]))]),
        new("a second X-API-Key", v => [H("X-API-Key", new StringValues([v, real.Secret]))]),
        new("one Authorization with two values", v => [H("Authorization", $"Bearer {v}, Bearer {real.Secret}")]),
        new("X-API-Key beside a payment", v => [H("X-API-Key", v), H("PAYMENT-SIGNATURE", Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"x402Version\":2}")))]),
        new("X-API-Key beside a valid bearer key", v => [H("Authorization", "Bearer " + real.Secret), H("X-API-Key", v)], TwoCredentials: true),
        new("X-API-Key beside a valid access token", v => [H("Authorization", "Bearer " + real.AccessToken), H("X-API-Key", v)], TwoCredentials: true),
        new("Authorization beside a valid X-Api-Secret", v => [H("Authorization", "Bearer " + v), H("X-Api-Secret", real.Secret)], TwoCredentials: true),
    ];

    /// <summary>Candidate values, none of which is a working credential in any form above.</summary>
    private static IEnumerable<(string Family, string Value)> Values(Random random, HostileCredentials real)
    {
        yield return ("empty", "");
        yield return ("spaces", "   ");
        yield return ("a tab", "\t");
        foreach (var length in new[] { 1_024, 8 * 1_024, 16 * 1_024, 64 * 1_024 })
        {
            yield return ($"{length / 1_024} KB of key characters", RandomText(random, length));
            yield return ($"{length / 1_024} KB after the prefix", ApiKeyFormat.LivePrefix + RandomText(random, length - ApiKeyFormat.PrefixLength));
            yield return ($"{length / 1_024} KB shaped as a token", "eyJ" + RandomText(random, length / 2) + "." + RandomText(random, length / 2 - 4));
        }

        foreach (var control in new[] { '\0', '\u0001', '\u0008', '\u001b', '\u001f', '\u007f', '\r', '\n', '\t', '\v', '\f', '\u0085', '\u009b' })
        {
            yield return ($"U+{(int)control:X4} inside a well-formed key", Insert(WellFormed(random), random, control.ToString()));
            yield return ($"U+{(int)control:X4} inside the real key", Insert(real.Secret, random, control.ToString()));
            yield return ($"U+{(int)control:X4} alone", control.ToString());
        }
        // Controls that are not white space survive trimming, so they may also sit at either end of the real key.
        foreach (var control in new[] { "\0", "\u0001", "\u001b", "\u007f" })
        {
            yield return ("a control character before the real key", control + real.Secret);
            yield return ("a control character after the real key", real.Secret + control);
        }

        foreach (var unicode in new[] { "\u200b", "\ufeff", "\u202e", "\u00e9", "\u0430", "\uff21", "\u0301", "😀", "\ud800", "\udfff", "\u2028", "\uffff" })
        {
            yield return ($"U+{(int)unicode[0]:X4} inside a well-formed key", Insert(WellFormed(random), random, unicode));
            yield return ($"U+{(int)unicode[0]:X4} inside the real key", Insert(real.Secret, random, unicode));
            yield return ($"U+{(int)unicode[0]:X4} replacing a character of the real key", Replace(real.Secret, random, unicode));
        }
        yield return ("a zero-width space before the real key", "\u200b" + real.Secret);
        yield return ("a byte order mark before the real key", "\ufeff" + real.Secret);
        yield return ("the real key in full-width letters", string.Concat(real.Secret.Select(c => c is >= '!' and <= '~' ? (char)(c + 0xFEE0) : c)));
        yield return ("the real key with Cyrillic look-alikes", real.Secret.Replace('a', '\u0430').Replace('e', '\u0435').Replace('o', '\u043e'));
        yield return ("unicode only", string.Concat(Enumerable.Range(0, 52).Select(i => (char)(0x4e00 + random.Next(0x5000)))));

        foreach (var prefix in new[] { "bsk_prod_", "BSK_LIVE_", "Bsk_live_", "bsk-live-", "bsk_live-", "bsk.live_", "sk_live__", "bsk_tset_", "xsk_live_", "bsk_Test_", "bsk__live", "_bsk_live" })
            yield return ($"the prefix {prefix} with a valid checksum", WithChecksum(prefix + RandomText(random, ApiKeyFormat.RandomLength)));
        yield return ("the prefix alone", ApiKeyFormat.LivePrefix);
        yield return ("the token prefix alone", "bsk_");
        yield return ("the test prefix on the real key's random part", WithChecksum(ApiKeyFormat.TestPrefix + real.Secret[ApiKeyFormat.PrefixLength..^ApiKeyFormat.ChecksumLength]));

        // The heart of it: right length, right alphabet, valid checksum, matching nothing.
        for (var i = 0; i < 160; i++)
            yield return ("a well-formed key that matches nothing", WellFormed(random));
        for (var i = 0; i < 30; i++)
        {
            var key = WellFormed(random);
            yield return ("a well-formed key with a bad checksum", key[..^1] + Next(key[^1]));
        }
        foreach (var length in new[] { 36, 38, 0, 1, 20, 60, 100 })
            yield return ($"a {length}-character random part with a valid checksum", WithChecksum(ApiKeyFormat.LivePrefix + RandomText(random, length)));
        foreach (var stranger in new[] { '-', '_', '+', '/', '=', '.', '~', ' ', '%', '"', '\\', '\'' })
            yield return ($"'{stranger}' in a key with a valid checksum", WithChecksum(ApiKeyFormat.LivePrefix + Replace(RandomText(random, ApiKeyFormat.RandomLength), random, stranger.ToString())));

        // Near misses of the real key: each one character away, or one rule away.
        for (var i = 0; i < 12; i++)
        {
            var position = ApiKeyFormat.PrefixLength + random.Next(ApiKeyFormat.RandomLength);
            var changed = real.Secret[..position] + Next(real.Secret[position]) + real.Secret[(position + 1)..];
            yield return ("the real key with one character changed", changed);
            yield return ("the real key with one character changed and the checksum fixed", WithChecksum(changed[..^ApiKeyFormat.ChecksumLength]));
        }
        yield return ("the real key in upper case", real.Secret.ToUpperInvariant());
        yield return ("the real key in lower case", real.Secret.ToLowerInvariant());
        yield return ("the real key less its last character", real.Secret[..^1]);
        yield return ("the real key and one more character", real.Secret + "A");
        yield return ("the real key twice", real.Secret + real.Secret);
        yield return ("the real key reversed", new string(real.Secret.Reverse().ToArray()));
        yield return ("the real key quoted", $"\"{real.Secret}\"");
        yield return ("the real key with its scheme again", "Bearer " + real.Secret);
        yield return ("the real key and a comment", real.Secret + " trailing");
        yield return ("the real key's hash", Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(real.Secret))));
        yield return ("a revoked key", real.RevokedSecret);
        yield return ("a revoked key with one character changed and the checksum fixed",
            WithChecksum(real.RevokedSecret[..10] + Next(real.RevokedSecret[10]) + real.RevokedSecret[11..^ApiKeyFormat.ChecksumLength]));

        // Bearer tokens that are not keys: near misses of the real access token, forged ones, JWT-shaped garbage.
        var parts = real.AccessToken.Split('.');
        yield return ("the access token with its signature changed", $"{parts[0]}.{parts[1]}.{Flip(parts[2], random)}");
        yield return ("the access token with its payload changed", $"{parts[0]}.{Flip(parts[1], random)}.{parts[2]}");
        yield return ("the access token less its signature", $"{parts[0]}.{parts[1]}.");
        yield return ("the access token less its last character", real.AccessToken[..^1]);
        yield return ("the access token and more", real.AccessToken + ".x");
        yield return ("the access token signed with alg none", $"{Base64Url("""{"alg":"none","typ":"JWT"}""")}.{parts[1]}.");
        yield return ("the access token signed with another key", Resigned(parts, RandomBytes(random, 32)));
        yield return ("the access token signed with an empty key", Resigned(parts, new byte[32]));
        yield return ("the access token as HS512", $"{Base64Url("""{"alg":"HS512","typ":"JWT"}""")}.{parts[1]}.{parts[2]}");
        yield return ("the access token's header alone", parts[0]);
        foreach (var shaped in new[] { "a.b.c", "..", "...", ".", "e30.e30.", "e30.e30.e30", "eyJ.eyJ.eyJ" })
            yield return ("a JWT-shaped string", shaped);
        for (var i = 0; i < 8; i++)
            yield return ("three random base64url segments", $"{RandomText(random, 36)}.{RandomText(random, 120)}.{RandomText(random, 43)}");
        yield return ("a JWT with a 60 KB payload", $"{parts[0]}.{RandomText(random, 60 * 1_024)}.{parts[2]}");
        yield return ("a JWT header nested 5,000 deep", $"{Base64Url(new string('[', 5_000) + new string(']', 5_000))}.{parts[1]}.{parts[2]}");

        for (var i = 0; i < 40; i++)
            yield return ("printable garbage", string.Concat(Enumerable.Range(0, 1 + random.Next(300)).Select(_ => (char)random.Next(0x21, 0x7f))));
        foreach (var injection in new[] { "' OR '1'='1", "'; DROP TABLE ApiKeys; --", "../../etc/passwd", "${jndi:ldap://x/a}", "%00", "%0d%0aX-Injected: 1",
                     "null", "undefined", "[object Object]", "true", "0", "-1", "{}", "[]", "<script>alert(1)</script>", "bsk_*", "bsk_%" })
            yield return ("an injection attempt", injection);
        yield return ("the key id", real.KeyId);
        yield return ("the victim's key id", real.VictimKeyId);
        yield return ("a user id", "usr_" + new string('0', 32));
    }

    /// <summary>Cases with no value to vary: header shapes on their own, and the real key where it does not belong.</summary>
    private static IEnumerable<(string Family, List<KeyValuePair<string, StringValues>> Headers, bool TwoCredentials)> FixedCases(HostileCredentials real)
    {
        foreach (var scheme in new[] { "Bearer", "Bearer ", "bearer", "Basic", "Digest", "Negotiate", "", " ", "Bearer,", "Bearer Bearer" })
            yield return ($"Authorization: '{scheme}'", [H("Authorization", scheme)], false);
        yield return ("three Authorization headers", [H("Authorization", new StringValues(["Bearer a", "Bearer b", "Bearer c"]))], false);
        yield return ("the real key twice in Authorization", [H("Authorization", new StringValues(["Bearer " + real.Secret, "Bearer " + real.Secret]))], false);
        yield return ("the real key twice in X-API-Key", [H("X-API-Key", new StringValues([real.Secret, real.Secret]))], false);
        yield return ("the pair with its id twice", [H("X-Api-Key", new StringValues([real.KeyId, real.KeyId])), H("X-Api-Secret", real.Secret)], false);
        yield return ("the pair with its secret twice", [H("X-Api-Key", real.KeyId), H("X-Api-Secret", new StringValues([real.Secret, real.Secret]))], false);
        yield return ("the pair with another key's id", [H("X-Api-Key", real.VictimKeyId), H("X-Api-Secret", real.Secret)], false);
        yield return ("the pair with its halves swapped", [H("X-Api-Key", real.Secret), H("X-Api-Secret", real.KeyId)], false);
        yield return ("the pair with the revoked secret", [H("X-Api-Key", real.KeyId), H("X-Api-Secret", real.RevokedSecret)], false);
        yield return ("the pair's id alone", [H("X-Api-Key", real.KeyId)], false);
        yield return ("the pair's secret alone", [H("X-Api-Secret", real.Secret)], false);
        yield return ("the real key as both X-API-Key and X-Api-Secret", [H("X-API-Key", real.Secret), H("X-Api-Secret", real.Secret)], false);
        foreach (var header in new[] { "X_API_KEY", "X-Api-Token", "Api-Key", "X-Auth-Token", "Authorisation", "Proxy-Authorization", "X-Forwarded-Authorization" })
            yield return ($"the real key in {header}", [H(header, header.Contains("Author") ? "Bearer " + real.Secret : real.Secret)], false);
        yield return ("the real key in a cookie", [H("Cookie", $"api_key={real.Secret}; .AspNetCore.Identity.Application={real.Secret}")], false);
        yield return ("the real access token in X-API-Key", [H("X-API-Key", real.AccessToken)], false);
        yield return ("the real access token as the pair's secret", [H("X-Api-Key", real.KeyId), H("X-Api-Secret", real.AccessToken)], false);
        yield return ("two valid credentials: bearer key and X-API-Key", [H("Authorization", "Bearer " + real.Secret), H("X-API-Key", real.Secret)], true);
        yield return ("two valid credentials: access token and the pair",
            [H("Authorization", "Bearer " + real.AccessToken), H("X-Api-Key", real.KeyId), H("X-Api-Secret", real.Secret)], true);
        yield return ("two valid credentials: bearer key and X-Api-Secret", [H("Authorization", "Bearer " + real.Secret), H("X-Api-Secret", real.Secret)], true);
        yield return ("an empty Authorization beside a valid X-API-Key", [H("Authorization", ""), H("X-API-Key", real.Secret)], true);
        yield return ("a garbage Authorization beside the valid pair", [H("Authorization", "Basic Og=="), H("X-Api-Key", real.KeyId), H("X-Api-Secret", real.Secret)], true);
        yield return ("a payment beside the revoked key", [H("X-API-Key", real.RevokedSecret), H("X-PAYMENT", "e30=")], false);
        yield return ("five hundred X-API-Key values", [H("X-API-Key", new StringValues(Enumerable.Repeat("bsk_x", 500).ToArray()))], false);
    }

    private static string RandomText(Random random, int length) =>
        string.Create(length, random, static (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
                span[i] = Alphabet[r.Next(Alphabet.Length)];
        });

    /// <summary>A key the format accepts (prefix, 37 random characters, its CRC32), from the seeded generator.</summary>
    private static string WellFormed(Random random) =>
        WithChecksum((random.Next(4) == 0 ? ApiKeyFormat.TestPrefix : ApiKeyFormat.LivePrefix) + RandomText(random, ApiKeyFormat.RandomLength));

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string WithChecksum(string body) => body + ApiKeyFormat.Checksum(body);

    /// <summary>Inside, never at either end: white space at an end is trimmed, as Kestrel trims it from header values.</summary>
    private static string Insert(string value, Random random, string insert)
    {
        var position = random.Next(1, value.Length);
        return value[..position] + insert + value[position..];
    }

    private static string Replace(string value, Random random, string replacement)
    {
        var position = random.Next(value.Length);
        return value[..position] + replacement + value[(position + 1)..];
    }

    private static char Next(char c) => Alphabet[(Alphabet.IndexOf(c) + 1) % Alphabet.Length];

    private static string Flip(string segment, Random random)
    {
        var position = random.Next(segment.Length);
        var replacement = segment[position] == 'A' ? 'B' : 'A';
        return segment[..position] + replacement + segment[(position + 1)..];
    }

    private static string Base64Url(string json) => Base64Url(Encoding.UTF8.GetBytes(json));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The token's header and payload, validly signed with HS256 under a key the server does not have.</summary>
    private static string Resigned(string[] parts, byte[] key)
    {
        var signed = $"{parts[0]}.{parts[1]}";
        return $"{signed}.{Base64Url(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(signed)))}";
    }
}

using System.Net.Sockets;
using System.Text;
using Backside.Core.ApiKeys;

namespace Backside.Tests.Security;

/// <summary>
/// Hostile credential headers over a real socket to Kestrel, which the in-memory server cannot show: more than 32 KB
/// of headers is 431 before the app runs, bytes no header may hold are 400, and what gets through is refused by the
/// app as on the test server. Every answer is small and none is a success or a 5xx.
/// </summary>
public class HostileKestrelTests(HostileKestrelAppFactory app) : IClassFixture<HostileKestrelAppFactory>
{
    private static readonly byte[] Key = Encoding.ASCII.GetBytes(WellFormedKey());

    private static string WellFormedKey()
    {
        var body = ApiKeyFormat.LivePrefix + new string('K', ApiKeyFormat.RandomLength);
        return body + ApiKeyFormat.Checksum(body);
    }

    public static TheoryData<string, int[]> Cases => new()
    {
        { "a 64 KB X-API-Key", [431] },
        { "a 64 KB Authorization", [431] },
        { "200 headers of 200 bytes", [431] },
        { "a NUL byte in X-API-Key", [400] },
        { "a bare CR in X-API-Key", [400] },
        { "a folded Authorization", [400] },
        { "UTF-8 bytes in X-API-Key", [400, 401] },
        { "Latin-1 bytes in Authorization", [400, 401] },
        { "a well-formed key that matches nothing", [401] },
        { "a well-formed key twice in one X-API-Key line", [401] },
        { "a space before the colon", [400] },
        { "a 16 KB request line", [414] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_hostile_credential_header_over_a_real_socket_is_refused_small(string name, int[] statuses)
    {
        var head = name switch
        {
            "a 64 KB X-API-Key" => Header("X-API-Key", new string('k', 64 * 1_024)),
            "a 64 KB Authorization" => Header("Authorization", "Bearer bsk_" + new string('k', 64 * 1_024)),
            "200 headers of 200 bytes" => string.Concat(Enumerable.Range(0, 200).Select(i => Header($"X-Pad-{i}", new string('p', 190)))),
            "a NUL byte in X-API-Key" => Header("X-API-Key", "bsk_live_\0" + new string('a', 42)),
            "a bare CR in X-API-Key" => Header("X-API-Key", "bsk_live_\r" + new string('a', 42)),
            "a folded Authorization" => "Authorization: Bearer\r\n bsk_live_folded\r\n",
            "UTF-8 bytes in X-API-Key" => Header("X-API-Key", "bsk_live_\u00e9\u00e9" + new string('a', 39)),
            "Latin-1 bytes in Authorization" => Header("Authorization", "Bearer bsk_live_\u00e9" + new string('a', 41)),
            "a well-formed key that matches nothing" => Header("X-API-Key", Encoding.ASCII.GetString(Key)),
            "a well-formed key twice in one X-API-Key line" => Header("X-API-Key", $"{Encoding.ASCII.GetString(Key)}, {Encoding.ASCII.GetString(Key)}"),
            "a space before the colon" => "X-API-Key : " + Encoding.ASCII.GetString(Key) + "\r\n",
            "a 16 KB request line" => "",
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such case."),
        };
        var target = name == "a 16 KB request line" ? "/api/v1/api-keys?q=" + new string('q', 16 * 1_024) : "/api/v1/api-keys";
        // Latin-1 puts each character in one byte as written; UTF-8 where the case says so.
        var encoding = name.StartsWith("UTF-8", StringComparison.Ordinal) ? Encoding.UTF8 : Encoding.Latin1;
        var request = encoding.GetBytes($"GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{head}\r\n");

        var (status, body) = await SendAsync(request);

        Assert.True(statuses.Contains(status), $"{name}: {status} {Encoding.UTF8.GetString(body)}");
        Assert.True(body.Length <= HostileAnswerRules.MaxRefusalBytes, $"{name}: {body.Length} bytes");
    }

    private static string Header(string name, string value) => $"{name}: {value}\r\n";

    /// <summary>Writes the bytes as they are and reads the answer until the server closes the connection.</summary>
    private async Task<(int Status, byte[] Body)> SendAsync(byte[] request)
    {
        using var tcp = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await tcp.ConnectAsync(app.BaseUrl.Host, app.BaseUrl.Port, timeout.Token);
        var stream = tcp.GetStream();
        try
        {
            await stream.WriteAsync(request, timeout.Token);
        }
        catch (IOException)
        {
            // Kestrel may answer and close before it has read all of an oversized request.
        }
        using var answer = new MemoryStream();
        try
        {
            await stream.CopyToAsync(answer, timeout.Token);
        }
        catch (IOException)
        {
            // A reset after the answer was written: what arrived is the answer.
        }
        var text = Encoding.Latin1.GetString(answer.ToArray());
        var statusLine = text[..text.IndexOf("\r\n", StringComparison.Ordinal)];
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), answer.ToArray()[(split + 4)..]);
    }
}

using System.Text;
using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Primitives;

namespace Backside.Tests.Security;

/// <summary>A request as a hostile client may write it: any header value, repeated headers, any bytes as the body.</summary>
public sealed record HostileRequest(string Method, string Path, string Query = "")
{
    public List<KeyValuePair<string, StringValues>> Headers { get; init; } = [];

    public byte[]? Body { get; init; }

    public string? ContentType { get; init; }

    /// <summary>What a failure message shows of the request: enough to find the case, never 64 KB of it.</summary>
    public string Describe()
    {
        var text = new StringBuilder($"{Method} {Path}{(Query.Length > 0 ? "?" : "")}{Shorten(Query)}");
        foreach (var (name, values) in Headers)
            foreach (var value in values)
                text.Append($" | {name}: {Shorten(value)}");
        if (ContentType is not null)
            text.Append($" | Content-Type: {ContentType}");
        if (Body is not null)
            text.Append($" | body {Body.Length} bytes: {Shorten(Encoding.UTF8.GetString(Body))}");
        return text.ToString();
    }

    private static string Shorten(string? value)
    {
        if (value is null)
            return "(null)";
        var escaped = string.Concat(value.Take(80).Select(c => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString()));
        return value.Length > 80 ? $"{escaped}… ({value.Length} chars)" : escaped;
    }
}

/// <summary>What came back: the status, the headers and every byte of the body.</summary>
public sealed record HostileAnswer(int Status, string? ContentType, byte[] Body, IHeaderDictionary Headers)
{
    public string Text => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// Sends <see cref="HostileRequest"/>s through the whole app on the in-memory test server. It goes around
/// <c>HttpClient</c>, which would refuse control characters, join repeated headers or fix up a content type, so the
/// app sees exactly what the case says (Kestrel would refuse some of these itself before the app; see
/// <see cref="HostileKestrelTests"/>). Around the client, so around its validator too: each answer to an API path is
/// checked against the document here, as <see cref="OpenApiResponseValidator"/> checks a client's.
/// </summary>
public static class HostileExchange
{
    public static async Task<HostileAnswer> SendAsync(this BacksideAppFactory app, HostileRequest request)
    {
        if (!OpenApiContract.Covers(request.Path))
            return await app.Server.SendRawAsync(request);
        var contract = await app.ContractAsync();
        var answer = await app.Server.SendRawAsync(request);
        var headers = answer.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var exchange = new ApiExchange(request.Method, request.Path, answer.Status, headers, answer.Body);
        var errors = contract.Check(exchange);
        if (errors.Count > 0)
            throw new OpenApiMismatchException($"{OpenApiContract.Describe(exchange, contract.OperationOf(request.Method, request.Path), errors)}\n  request: {request.Describe()}");
        return answer;
    }

    private static async Task<HostileAnswer> SendRawAsync(this TestServer server, HostileRequest request)
    {
        var context = await server.SendAsync(c =>
        {
            c.Request.Method = request.Method;
            c.Request.Path = new PathString(request.Path);
            if (request.Query.Length > 0)
                c.Request.QueryString = new QueryString("?" + request.Query);
            // Through the indexer: Append drops an empty value, which a real server keeps as a header that is present.
            foreach (var (name, values) in request.Headers)
                c.Request.Headers[name] = StringValues.Concat(c.Request.Headers[name], values);
            if (request.ContentType is not null)
                c.Request.ContentType = request.ContentType;
            if (request.Body is not null)
            {
                c.Request.Body = new MemoryStream(request.Body, writable: false);
                c.Request.ContentLength = request.Body.Length;
            }
            // The test server says "no body" unless told; a server would know from the request's framing.
            c.Features.Set<IHttpRequestBodyDetectionFeature>(new BodyDetection(request.Body is not null));
        });
        using var body = new MemoryStream();
        await context.Response.Body.CopyToAsync(body);
        return new HostileAnswer(context.Response.StatusCode, context.Response.ContentType, body.ToArray(), context.Response.Headers);
    }

    /// <summary>Sends every request, a few at a time (the machine is small and the cases are many), in their order.</summary>
    public static async Task<List<(HostileRequest Request, HostileAnswer Answer)>> SendAllAsync(
        this BacksideAppFactory app, IReadOnlyList<HostileRequest> requests, int parallelism = 4)
    {
        var answers = new HostileAnswer[requests.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, requests.Count), new ParallelOptions { MaxDegreeOfParallelism = parallelism },
            async (i, _) => answers[i] = await app.SendAsync(requests[i]));
        return requests.Select((r, i) => (r, answers[i])).ToList();
    }

    private sealed class BodyDetection(bool canHaveBody) : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => canHaveBody;
    }
}

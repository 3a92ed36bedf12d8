namespace Backside.Tests.Infrastructure;

/// <summary>
/// Sits next to the server on every client the test factories hand out: each response to an /api/v1 request is checked
/// against the app's own OpenAPI document (<see cref="OpenApiContract"/>), and one that breaks it throws
/// <see cref="OpenApiMismatchException"/> instead of reaching the test. Other paths (pages, /health, /openapi) pass as
/// they are. The body is buffered, so the test still reads it.
/// </summary>
public sealed class OpenApiResponseValidator(Func<CancellationToken, Task<OpenApiContract>> contract) : DelegatingHandler
{
    /// <summary>For an app in a process of its own: over sockets, with that app's document fetched at the first API response.</summary>
    public static OpenApiResponseValidator ForAppAt(Uri baseAddress)
    {
        var contract = new Lazy<Task<OpenApiContract>>(async () =>
        {
            using var plain = new HttpClient { BaseAddress = baseAddress };
            return await OpenApiContract.LoadAsync(plain);
        });
        return new OpenApiResponseValidator(_ => contract.Value) { InnerHandler = new SocketsHttpHandler() };
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.IsAbsoluteUri ? request.RequestUri.AbsolutePath : request.RequestUri.OriginalString.Split('?')[0];
        if (!OpenApiContract.Covers(path))
            return await base.SendAsync(request, cancellationToken);

        // The document first: its own request then never comes between the test's request and what the test reads after it.
        var document = await contract(cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated))
            headers[name] = string.Join(", ", values);
        var exchange = new ApiExchange(request.Method.Method, path, (int)response.StatusCode, headers, body);

        var errors = document.Check(exchange);
        if (errors.Count > 0)
        {
            response.Dispose();
            throw new OpenApiMismatchException(OpenApiContract.Describe(exchange, document.OperationOf(exchange.Method, path), errors));
        }
        return response;
    }
}

namespace Backside.Tests.Infrastructure;

/// <summary>
/// Sits next to the server on every client the test factories hand out: each response to an /api/v1 request is checked
/// against the app's own OpenAPI document (<see cref="OpenApiContract"/>), and one that breaks it throws
/// <see cref="OpenApiMismatchException"/> instead of reaching the test. Other paths (pages, /health, /openapi) pass as
/// they are. The body is buffered, so the test still reads it.
/// </summary>
public sealed class OpenApiResponseValidator(Func<CancellationToken, Task<OpenApiContract>> contract) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var path = request.RequestUri!.IsAbsoluteUri ? request.RequestUri.AbsolutePath : request.RequestUri.OriginalString.Split('?')[0];
        if (!OpenApiContract.Covers(path))
            return response;

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated))
            headers[name] = string.Join(", ", values);
        var exchange = new ApiExchange(request.Method.Method, path, (int)response.StatusCode, headers, body);

        var document = await contract(cancellationToken);
        var errors = document.Check(exchange);
        if (errors.Count > 0)
        {
            response.Dispose();
            throw new OpenApiMismatchException(OpenApiContract.Describe(exchange, document.OperationOf(exchange.Method, path), errors));
        }
        return response;
    }
}

using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;

namespace Backside.Client;

/// <summary>
/// The Backside API with an API key: the generated <see cref="BacksideApiClient"/> (<c>client.Api.V1.ApiKeys…</c>) on an
/// HTTP pipeline that sends <c>Authorization: Bearer &lt;key&gt;</c> and waits out a 429's <c>Retry-After</c> (see
/// <see cref="BacksideClientOptions"/>). Errors arrive as the document's typed problem exceptions.
/// </summary>
public sealed class BacksideClient : BacksideApiClient, IDisposable
{
    /// <summary>The HttpClient this client made, and so disposes; null when the caller brought their own.</summary>
    private readonly HttpClient? ownedHttpClient;

    /// <summary>A client of the API at <paramref name="baseUrl"/> (such as <c>https://backside.example.com</c>).</summary>
    public BacksideClient(string apiKey, Uri baseUrl, BacksideClientOptions? options = null)
        : this(apiKey, baseUrl, KiotaClientFactory.GetDefaultHttpMessageHandler(), options)
    {
    }

    /// <summary>The same pipeline on a transport of the caller's: a test server's handler, a configured socket handler.</summary>
    public BacksideClient(string apiKey, Uri baseUrl, HttpMessageHandler transport, BacksideClientOptions? options = null)
        : this(apiKey, CreateHttpClient(baseUrl, transport, options ?? new()), owned: true)
    {
    }

    /// <summary>
    /// A client on an HttpClient the caller configured (IHttpClientFactory, DI) with <see cref="HttpClient.BaseAddress"/>
    /// set; add <see cref="CreateRetryHandler"/> to its handlers for the 429 retry. The caller keeps ownership of it.
    /// </summary>
    public BacksideClient(string apiKey, HttpClient httpClient)
        : this(apiKey, httpClient, owned: false)
    {
    }

    private BacksideClient(string apiKey, HttpClient httpClient, bool owned)
        : base(CreateAdapter(apiKey, httpClient))
    {
        ownedHttpClient = owned ? httpClient : null;
    }

    /// <summary>The 429 retry as a handler, for an HttpClient built elsewhere (<c>AddHttpMessageHandler</c>).</summary>
    public static DelegatingHandler CreateRetryHandler(BacksideClientOptions? options = null) =>
        RateLimitRetry.CreateHandler(options ?? new());

    public void Dispose() => ownedHttpClient?.Dispose();

    private static HttpClientRequestAdapter CreateAdapter(string apiKey, HttpClient httpClient)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        ArgumentNullException.ThrowIfNull(httpClient);
        var baseUrl = httpClient.BaseAddress ?? throw new ArgumentException("The HttpClient needs a BaseAddress: the API's root URL.", nameof(httpClient));
        var authentication = new BaseBearerTokenAuthenticationProvider(new ApiKeyTokenProvider(apiKey));
        // The generated paths start with "/api/v1": the base URL goes in without its trailing slash.
        return new HttpClientRequestAdapter(authentication, httpClient: httpClient) { BaseUrl = baseUrl.AbsoluteUri.TrimEnd('/') };
    }

    /// <summary>Kiota's default handlers, with its own retry (429, 503 and 504 alike, any method) replaced by ours.</summary>
    private static HttpClient CreateHttpClient(Uri baseUrl, HttpMessageHandler transport, BacksideClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(transport);
        var handlers = KiotaClientFactory.CreateDefaultHandlers()
            .Select(handler => handler is RetryHandler ? RateLimitRetry.CreateHandler(options) : handler)
            .ToList();
        var client = KiotaClientFactory.Create(handlers, transport);
        client.BaseAddress = baseUrl;
        return client;
    }
}

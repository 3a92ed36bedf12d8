using System.Text.Json.Nodes;
using Backside.Core.Payments;
using Backside.Web.Authentication;
using Backside.Web.Authorization;
using Microsoft.Extensions.Options;

namespace Backside.Web.Payments;

/// <summary>A route that costs money, with the scope its endpoint requires (a paying wallet is granted exactly that).</summary>
public sealed record PricedRoute(string Method, string Pattern, string Price, string Description, string? RequiredScope);

/// <summary>
/// Finds the price of the endpoint a request was routed to, and writes the offers for it. Offers come from
/// configuration only: they are the sole source of price, payee, token and EIP-712 domain.
/// </summary>
public sealed class PricedRoutes(IOptions<X402Options> options)
{
    private readonly Dictionary<(string Method, string Pattern), X402RouteOptions> routes = options.Value.Routes
        .ToDictionary(r => (r.Method.ToUpperInvariant(), Normalize(r.Pattern)), StringTupleComparer.Instance);

    private readonly IReadOnlyList<X402Network> networks = options.Value.Networks.Select(n => X402Network.Find(n)!).ToList();

    public PricedRoute? Find(HttpContext context)
    {
        if (routes.Count == 0 || context.GetEndpoint() is not RouteEndpoint endpoint || endpoint.RoutePattern.RawText is not { } pattern)
            return null;
        if (!routes.TryGetValue((context.Request.Method, Normalize(pattern)), out var route))
            return null;
        return new PricedRoute(route.Method.ToUpperInvariant(), Normalize(pattern), route.Price, route.Description,
            endpoint.Metadata.GetMetadata<RequiredScopeMetadata>()?.Scope);
    }

    /// <summary>Whether a route of the API description costs money (the OpenAPI document offers x402 there).</summary>
    public bool IsPriced(string method, string pattern) =>
        options.Value.Enabled && routes.ContainsKey((method.ToUpperInvariant(), Normalize("/" + pattern.TrimStart('/'))));

    /// <summary>v1 requirements (with the resource URL) and v2 requirements, one per configured network.</summary>
    public PaymentOffers OffersFor(PricedRoute route, string resourceUrl) => new(
        networks.Select(n => V1Offer(route, n, resourceUrl)).ToList(),
        networks.Select(n => V2Offer(route, n)).ToList());

    private JsonObject V1Offer(PricedRoute route, X402Network network, string resourceUrl) => new()
    {
        ["scheme"] = "exact",
        ["network"] = network.V1Name,
        ["maxAmountRequired"] = route.Price,
        ["resource"] = resourceUrl,
        ["description"] = route.Description,
        ["mimeType"] = "application/json",
        ["payTo"] = options.Value.PayTo,
        ["maxTimeoutSeconds"] = options.Value.MaxTimeoutSeconds,
        ["asset"] = network.Asset,
        ["extra"] = new JsonObject { ["name"] = network.TokenName, ["version"] = network.TokenVersion },
    };

    private JsonObject V2Offer(PricedRoute route, X402Network network) => new()
    {
        ["scheme"] = "exact",
        ["network"] = network.V2Id,
        ["amount"] = route.Price,
        ["asset"] = network.Asset,
        ["payTo"] = options.Value.PayTo,
        ["maxTimeoutSeconds"] = options.Value.MaxTimeoutSeconds,
        ["extra"] = new JsonObject { ["name"] = network.TokenName, ["version"] = network.TokenVersion },
    };

    private static string Normalize(string pattern) => pattern.Length > 1 ? pattern.TrimEnd('/') : pattern;

    private sealed class StringTupleComparer : IEqualityComparer<(string, string)>
    {
        public static readonly StringTupleComparer Instance = new();

        public bool Equals((string, string) x, (string, string) y) =>
            string.Equals(x.Item1, y.Item1, StringComparison.OrdinalIgnoreCase) && string.Equals(x.Item2, y.Item2, StringComparison.OrdinalIgnoreCase);

        public int GetHashCode((string, string) obj) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Item1), StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Item2));
    }
}

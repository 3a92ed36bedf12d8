using System.Diagnostics;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Backside.Core.Common;
using Backside.Core.Identity;
using Backside.Core.Payments;
using Backside.Web.Authentication;
using Backside.Web.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Backside.Web.Payments;

/// <summary>
/// The x402 rail on priced routes, for callers with no key and no access token (those take the key rail and are
/// never charged). No payment: 402 with the offers. A payment: verified locally, checked with the facilitator,
/// the handler runs as the wallet's organization with its response held back, and only a settled payment releases
/// it, with the receipt header (docs/x402.md#settlement).
/// </summary>
public sealed partial class X402PaymentMiddleware(
    RequestDelegate next,
    PricedRoutes pricedRoutes,
    X402Verifier verifier,
    IPaymentReplayStore replays,
    FacilitatorClient facilitator,
    FixedWindowThrottle throttle,
    IOptions<X402Options> options,
    TimeProvider time,
    RefusalCounter refusals,
    ILogger<X402PaymentMiddleware> logger)
{
    public const string PaymentRequiredHeader = "PAYMENT-REQUIRED";
    public const string V2ResponseHeader = "PAYMENT-RESPONSE";
    public const string V1ResponseHeader = "X-PAYMENT-RESPONSE";

    public async Task InvokeAsync(HttpContext context)
    {
        // Keyed traffic pays nothing and must cost nothing here: one look at the headers, before any route lookup.
        if (HasOtherCredentials(context.Request) || pricedRoutes.Find(context) is not { } route)
        {
            await next(context);
            return;
        }

        var offers = pricedRoutes.OffersFor(route, ResourceUrl(context.Request));
        var (version, header) = ReadPaymentHeader(context.Request);
        if (header is null)
        {
            await PaymentProblem.WriteRequiredAsync(context, route, offers, reason: null);
            return;
        }

        // Spent before anything is decoded: every payment header presented costs this address one verification.
        var limits = options.Value;
        var budget = throttle.Acquire(
            "x402-verify:" + FixedWindowThrottle.AddressPartition(context.Connection.RemoteIpAddress), limits.VerificationsPerAddress, limits.VerificationWindow);
        if (!budget.Allowed)
        {
            refusals.Count("rate_limited");
            await WriteVerificationsSpentAsync(context, budget);
            return;
        }

        var verification = await verifier.VerifyAsync(version, header, offers, context.RequestAborted);
        if (verification.Payment is not { } payment)
        {
            Log.Refused(logger, verification.Reason!);
            refusals.Count("invalid_payment");
            await PaymentProblem.WriteRequiredAsync(context, route, offers, verification.Reason);
            return;
        }
        await ChargeAsync(context, route, offers, payment);
    }

    /// <summary>429 <c>rate_limited</c> with <c>retry_after</c> and <c>Retry-After</c>, like every other budget.</summary>
    private static Task WriteVerificationsSpentAsync(HttpContext context, ThrottleDecision budget) =>
        Api.ApiProblem.WriteAsync(context, Api.ApiProblem.RateLimited(context, "Too many payments",
            $"Too many payments from this address to verify. Try again in {budget.RetryAfterSeconds} seconds.", budget.RetryAfterSeconds));

    private async Task ChargeAsync(HttpContext context, PricedRoute route, PaymentOffers offers, VerifiedPayment payment)
    {
        var check = await facilitator.VerifyAsync(payment, context.RequestAborted);
        if (!check.Success)
        {
            // Settlement was not attempted, so the same authorization may be sent again.
            await replays.ReleaseAsync(payment.ReplayKey, CancellationToken.None);
            if (check.Reachable)
                refusals.Count("invalid_payment");
            await (check.Reachable
                ? PaymentProblem.WriteRequiredAsync(context, route, offers, check.Reason)
                : PaymentProblem.WriteFacilitatorUnavailableAsync(context, check.Reason!));
            return;
        }

        var payments = context.RequestServices.GetRequiredService<PaymentService>();
        var wallet = await payments.EnsureWalletOrganizationAsync(payment.Payer, context.RequestAborted);
        // The wallet's caller, built once for the request, as the key rail builds a key's.
        var caller = Caller.ForWallet(wallet.OrganizationId, payment.Payer, payment.Network, route.RequiredScope, CallerIdentity.ClientOf(context));
        context.User = new ClaimsPrincipal(new CallerIdentity(caller, X402Defaults.AuthenticationType));

        var (status, body) = await RunHeldBackAsync(context, payment, wallet, payments);
        if (status >= 400)
        {
            // The handler failed: nothing is charged, and the client may retry with the same header.
            await ForgetAsync(payment, wallet, payments);
            await body.CopyToAsync(context.Response.Body, context.RequestAborted);
            return;
        }

        var settlement = await facilitator.SettleAsync(payment, CancellationToken.None);
        if (!settlement.Success)
        {
            if (wallet.Created)
                await payments.ForgetUnpaidOrganizationAsync(wallet.OrganizationId, payment, CancellationToken.None);
            context.Response.Clear();
            if (!settlement.Reachable)
            {
                await PaymentProblem.WriteFacilitatorUnavailableAsync(context, settlement.Reason!);
                return;
            }
            if (payment.Version == 2 && settlement.Body is not null)
                context.Response.Headers[V2ResponseHeader] = Base64Json(settlement.Body);
            await PaymentProblem.WriteRequiredAsync(context, route, offers, settlement.Reason);
            return;
        }

        await payments.RecordAsync(ToRecord(payment, wallet, route, settlement.Body!), CancellationToken.None);
        Log.Settled(logger, payment.Payer, route.Method, route.Pattern);
        var receiptHeader = payment.Version == 2 ? V2ResponseHeader : V1ResponseHeader;
        context.Response.Headers[receiptHeader] = Base64Json(settlement.Body!);
        // The payer's own data and its receipt: for no cache to keep, as every credentialed answer.
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.AccessControlExposeHeaders = receiptHeader;
        await body.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    /// <summary>Runs the handler into a buffer: nothing reaches the client before the money has moved.</summary>
    private async Task<(int Status, MemoryStream Body)> RunHeldBackAsync(
        HttpContext context, VerifiedPayment payment, WalletOrganization wallet, PaymentService payments)
    {
        var original = context.Features.Get<IHttpResponseBodyFeature>()!;
        var buffer = new MemoryStream();
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(buffer));
        try
        {
            await next(context);
        }
        catch
        {
            await ForgetAsync(payment, wallet, payments);
            throw;
        }
        finally
        {
            context.Features.Set(original);
        }
        buffer.Position = 0;
        context.Response.RegisterForDispose(buffer);
        return (context.Response.StatusCode, buffer);
    }

    private async Task ForgetAsync(VerifiedPayment payment, WalletOrganization wallet, PaymentService payments)
    {
        await replays.ReleaseAsync(payment.ReplayKey, CancellationToken.None);
        if (wallet.Created)
            await payments.ForgetUnpaidOrganizationAsync(wallet.OrganizationId, payment, CancellationToken.None);
    }

    private Payment ToRecord(VerifiedPayment payment, WalletOrganization wallet, PricedRoute route, JsonObject settlement) => new()
    {
        Id = EntityId.New(EntityId.PaymentPrefix, time),
        OrganizationId = wallet.OrganizationId,
        Payer = payment.Payer,
        Amount = (long)payment.Amount,
        Network = payment.Network.V2Id,
        X402Version = payment.Version,
        Method = route.Method,
        Route = route.Pattern,
        Nonce = Convert.ToHexStringLower(payment.Authorization.Nonce),
        TransactionHash = settlement["transaction"] is JsonValue tx && tx.TryGetValue<string>(out var hash) ? hash : "",
        CreatedAt = time.GetUtcNow(),
    };

    private static bool HasOtherCredentials(HttpRequest request) =>
        request.Headers.ContainsKey(HeaderNames.Authorization)
        || request.Headers.ContainsKey(ApiKeyDefaults.HeaderName)
        || request.Headers.ContainsKey(ApiKeyDefaults.SecretHeaderName);

    /// <summary><c>PAYMENT-SIGNATURE</c> makes the request v2; otherwise <c>X-PAYMENT</c> makes it v1.</summary>
    private static (int Version, string? Header) ReadPaymentHeader(HttpRequest request) =>
        request.Headers.TryGetValue(X402Verifier.V2Header, out var v2) ? (2, v2.ToString())
        : request.Headers.TryGetValue(X402Verifier.V1Header, out var v1) ? (1, v1.ToString())
        : (0, null);

    /// <summary>
    /// The <c>resource</c> of the offers: the priced path on <c>App:PublicBaseUrl</c> when it is set, else on the
    /// request's own origin. Not the query (it does not change the price), and never a Host header longer than a host
    /// name can be, so what the client sent is not echoed back at any size.
    /// </summary>
    internal static string ResourceUrl(HttpRequest request)
    {
        var path = $"{request.PathBase}{request.Path}";
        if (request.HttpContext.RequestServices.GetRequiredService<IOptions<AppOptions>>().Value.PublicBaseUri is { } publicBase)
            return publicBase.GetLeftPart(UriPartial.Authority) + path;
        var host = request.Host.Value is { Length: > 0 and <= MaxHostLength } value ? value : "localhost";
        return $"{request.Scheme}://{host}{path}";
    }

    /// <summary>A DNS name (253) and a port.</summary>
    private const int MaxHostLength = 253 + 6;

    internal static string Base64Json(JsonNode json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json.ToJsonString()));

    private static partial class Log
    {
        // Debug, as for a refused key: counted and summarised once a minute by RefusalSummaryService instead.
        [LoggerMessage(1, LogLevel.Debug, "x402 payment refused: {Reason}.")]
        public static partial void Refused(ILogger logger, string reason);

        [LoggerMessage(2, LogLevel.Information, "x402 payment from {Payer} settled for {Method} {Route}.")]
        public static partial void Settled(ILogger logger, string payer, string method, string route);
    }
}

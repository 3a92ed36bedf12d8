using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Backside.Core.Payments;
using Microsoft.Extensions.Options;

namespace Backside.Web.Payments;

/// <summary>What the facilitator said. <see cref="Reachable"/> is false when it could not be asked or answered nonsense.</summary>
public sealed record FacilitatorAnswer(bool Reachable, bool Success, string? Reason, JsonObject? Body)
{
    public static FacilitatorAnswer Unreachable(string why) => new(false, false, why, null);
}

/// <summary>
/// The facilitator's HTTP API (docs/x402.md#facilitator). Each call has its own timeout; nothing is retried, least of
/// all a settlement, which could move the payer's money twice.
/// </summary>
public sealed partial class FacilitatorClient(HttpClient http, IOptions<X402Options> options, ILogger<FacilitatorClient> logger)
{
    public Task<FacilitatorAnswer> VerifyAsync(VerifiedPayment payment, CancellationToken ct) =>
        PostAsync("verify", payment, "isValid", "invalidReason", TimeSpan.FromSeconds(options.Value.VerifyTimeoutSeconds), ct);

    public Task<FacilitatorAnswer> SettleAsync(VerifiedPayment payment, CancellationToken ct) =>
        PostAsync("settle", payment, "success", "errorReason", TimeSpan.FromSeconds(options.Value.SettleTimeoutSeconds), ct);

    /// <summary>The kinds the facilitator supports, as <c>(x402Version, network)</c>; null when it cannot be asked.</summary>
    public async Task<IReadOnlyList<(int Version, string Network)>?> SupportedAsync(CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.VerifyTimeoutSeconds));
            var body = await http.GetFromJsonAsync<JsonObject>("supported", timeout.Token);
            return body?["kinds"]?.AsArray()
                .Select(k => (k?["x402Version"]?.GetValue<int>() ?? 0, k?["network"]?.GetValue<string>() ?? ""))
                .ToList();
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or OperationCanceledException or InvalidOperationException or FormatException)
        {
            Log.Failed(logger, "supported", ex.Message);
            return null;
        }
    }

    private async Task<FacilitatorAnswer> PostAsync(
        string path, VerifiedPayment payment, string verdictMember, string reasonMember, TimeSpan timeout, CancellationToken ct)
    {
        var request = new JsonObject
        {
            ["x402Version"] = payment.Version,
            ["paymentPayload"] = payment.Payload.DeepClone(),
            ["paymentRequirements"] = payment.Offer.DeepClone(),
        };
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(timeout);
            using var response = await http.PostAsJsonAsync(path, request, deadline.Token);
            var body = await ReadObjectAsync(response, deadline.Token);
            // A non-200 answer that still carries the verdict is a refusal with a reason; anything else is an error.
            if (body?[verdictMember] is JsonValue verdict && verdict.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
            {
                var success = verdict.GetValue<bool>() && response.IsSuccessStatusCode;
                var reason = body[reasonMember] is JsonValue r && r.GetValueKind() == JsonValueKind.String ? r.GetValue<string>() : null;
                return new FacilitatorAnswer(true, success, success ? null : reason ?? "facilitator_refused", body);
            }
            Log.Failed(logger, path, $"status {(int)response.StatusCode} without '{verdictMember}'");
            return FacilitatorAnswer.Unreachable($"The facilitator answered {(int)response.StatusCode} without a verdict.");
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            Log.Failed(logger, path, ex is OperationCanceledException ? "timed out" : ex.Message);
            return FacilitatorAnswer.Unreachable(ex is OperationCanceledException ? "The facilitator timed out." : "The facilitator could not be reached.");
        }
    }

    private static async Task<JsonObject?> ReadObjectAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct)) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "x402 facilitator call '{Path}' failed: {Why}.")]
        public static partial void Failed(ILogger logger, string path, string why);
    }
}

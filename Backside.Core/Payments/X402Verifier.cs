using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Backside.Core.Payments.Evm;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Backside.Core.Payments;

/// <summary>
/// Verifies an x402 payment header locally, in the order of docs/x402.md#verification; the first failing check decides.
/// Hostile input of any shape (bad base64, JSON, hex, huge numbers, wrong types) maps to a reason and never throws.
/// </summary>
public sealed class X402Verifier(IPaymentReplayStore replays, TimeProvider time)
{
    public const string V1Header = "X-PAYMENT";
    public const string V2Header = "PAYMENT-SIGNATURE";
    public const int ValidBeforeMarginSeconds = 6;

    private static readonly BigInteger MaxUint256 = (BigInteger.One << 256) - 1;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly TimeSpan MaxReplayRetention = TimeSpan.FromDays(1);

    /// <summary>Checks 1–17, then reserves the authorization in the replay store (check 18).</summary>
    public async Task<PaymentVerification> VerifyAsync(int version, string? header, PaymentOffers offers, CancellationToken ct)
    {
        var result = Check(version, header, offers);
        if (result.Payment is not { } payment)
            return result;
        return await replays.TryReserveAsync(payment.ReplayKey, KeepUntil(payment), ct)
            ? result
            : PaymentVerification.Refused(PaymentReasons.Replay);
    }

    /// <summary>Checks 1–17: everything but replay, with no I/O.</summary>
    public PaymentVerification Check(int version, string? header, PaymentOffers offers)
    {
        if (header is null || !IsStrictBase64(header))
            return PaymentVerification.Refused(PaymentReasons.MalformedBase64);
        if (ParseObject(header) is not { } root)
            return PaymentVerification.Refused(PaymentReasons.MalformedJson);
        if (!IsNumber(root["x402Version"], version))
            return PaymentVerification.Refused(PaymentReasons.UnsupportedVersion);

        var choice = version == 1 ? root : root["accepted"];
        var payload = root["payload"];
        if (StructureFault(root, choice, payload, version) is { } fault)
            return PaymentVerification.Refused(fault);
        if (!TryReadFields(choice!.AsObject(), payload!.AsObject(), out var scheme, out var network, out var authorization, out var signature))
            return PaymentVerification.Refused(PaymentReasons.InvalidField);

        if (scheme != "exact")
            return PaymentVerification.Refused(PaymentReasons.UnknownScheme);
        var candidates = offers.For(version);
        if (!candidates.Any(o => Text(o, "network") == network))
            return PaymentVerification.Refused(PaymentReasons.WrongNetwork);
        var offer = version == 1
            ? candidates.FirstOrDefault(o => Text(o, "scheme") == scheme && Text(o, "network") == network)
            : candidates.FirstOrDefault(o => JsonNode.DeepEquals(o, choice));
        if (offer is null || X402Network.Find(network) is not { } chain)
            return PaymentVerification.Refused(PaymentReasons.AcceptedMismatch);

        if (CheckSignature(signature, Domain(offer, chain), authorization) is { } signatureFault)
            return PaymentVerification.Refused(signatureFault);
        if (!EvmAddress.AreEqual(authorization.To, Text(offer, "payTo")!))
            return PaymentVerification.Refused(PaymentReasons.WrongRecipient);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        if (authorization.ValidBefore < now + ValidBeforeMarginSeconds)
            return PaymentVerification.Refused(PaymentReasons.Expired);
        if (authorization.ValidAfter > now)
            return PaymentVerification.Refused(PaymentReasons.NotYetValid);
        if (authorization.Value != BigInteger.Parse(Text(offer, version == 1 ? "maxAmountRequired" : "amount")!, CultureInfo.InvariantCulture))
            return PaymentVerification.Refused(PaymentReasons.AmountMismatch);

        var payer = EvmAddress.ToChecksum(EvmAddress.ToBytes(authorization.From));
        return new PaymentVerification(new VerifiedPayment(version, payer, offer, root, authorization, chain), null);
    }

    /// <summary>Check 1, before decoding: .NET's decoder would silently skip whitespace.</summary>
    private static bool IsStrictBase64(string value)
    {
        if (value.Length == 0 || value.Length % 4 != 0)
            return false;
        var padding = 0;
        foreach (var c in value)
        {
            if (c == '=')
                padding++;
            else if (padding > 0 || !(char.IsAsciiLetterOrDigit(c) || c == '+' || c == '/'))
                return false;
        }
        return padding <= 2;
    }

    /// <summary>Check 2: UTF-8 bytes of one JSON object, duplicate members refused.</summary>
    private static JsonObject? ParseObject(string base64)
    {
        try
        {
            var json = StrictUtf8.GetString(Convert.FromBase64String(base64));
            var node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
            return node as JsonObject;
        }
        catch (Exception ex) when (ex is FormatException or DecoderFallbackException or JsonException or ArgumentException)
        {
            return null;
        }
    }

    private static bool IsNumber(JsonNode? node, int expected) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
        && value.TryGetValue<decimal>(out var number) && number == expected;

    /// <summary>
    /// Check 4: members that must be present and not null (children only where their parent is an object); then the
    /// part of check 5 that the rest stands on: the chosen offer and the payload are objects.
    /// </summary>
    private static string? StructureFault(JsonObject root, JsonNode? choice, JsonNode? payload, int version)
    {
        if (version == 1 ? root["scheme"] is null || root["network"] is null : choice is null)
            return PaymentReasons.MissingField;
        if (choice is JsonObject chosen && (chosen["scheme"] is null || chosen["network"] is null))
            return PaymentReasons.MissingField;
        if (payload is null)
            return PaymentReasons.MissingField;
        if (payload is JsonObject body)
        {
            if (body["signature"] is null || body["authorization"] is null)
                return PaymentReasons.MissingField;
            if (body["authorization"] is JsonObject authorization
                && AuthorizationMembers.Any(name => authorization[name] is null))
                return PaymentReasons.MissingField;
        }
        return choice is JsonObject && payload is JsonObject ? null : PaymentReasons.InvalidField;
    }

    private static readonly string[] AuthorizationMembers = ["from", "to", "value", "validAfter", "validBefore", "nonce"];

    /// <summary>Check 5: types and formats.</summary>
    private static bool TryReadFields(JsonObject choice, JsonObject payload, out string scheme, out string network,
        out TransferAuthorization authorization, out string signature)
    {
        authorization = null!;
        signature = "";
        network = "";
        if (!TryText(choice["scheme"], out scheme) || !TryText(choice["network"], out network))
            return false;
        if (payload["authorization"] is not JsonObject fields || !TryText(payload["signature"], out signature) || !HexString.HasShape(signature))
            return false;
        if (!TryText(fields["from"], out var from) || !EvmAddress.HasShape(from)
            || !TryText(fields["to"], out var to) || !EvmAddress.HasShape(to)
            || !TryUint256(fields["value"], out var value)
            || !TryUint256(fields["validAfter"], out var validAfter)
            || !TryUint256(fields["validBefore"], out var validBefore)
            || !TryText(fields["nonce"], out var nonce) || !HexString.HasShape(nonce, 64))
            return false;
        authorization = new TransferAuthorization(from, to, value, validAfter, validBefore, Convert.FromHexString(nonce.AsSpan(2)));
        return true;
    }

    /// <summary>Checks 9–13: strict 65-byte <c>r ‖ s ‖ v</c>, then the signer recovered under the offer's own domain.</summary>
    private static string? CheckSignature(string signatureHex, Eip712Domain domain, TransferAuthorization authorization)
    {
        var length = (signatureHex.Length - 2) / 2;
        if (length < 65)
            return PaymentReasons.ShortSignature;
        if (length > 65)
            return PaymentReasons.LongSignature;
        var bytes = Convert.FromHexString(signatureHex.AsSpan(2));
        var v = bytes[64];
        if (v is not (27 or 28))
            return PaymentReasons.BadV;
        var r = new BcBigInteger(1, bytes, 0, 32);
        var s = new BcBigInteger(1, bytes, 32, 32);
        if (r.SignValue == 0 || s.SignValue == 0 || r.CompareTo(Secp256k1.Order) >= 0 || s.CompareTo(Secp256k1.Order) >= 0)
            return PaymentReasons.InvalidSignature;
        if (s.CompareTo(Secp256k1.HalfOrder) > 0)
            return PaymentReasons.HighS;

        var signer = Secp256k1.RecoverAddress(Eip712.Digest(domain, authorization), r, s, yIsOdd: v == 28);
        return signer is not null && EvmAddress.AreEqual("0x" + Convert.ToHexString(signer), authorization.From)
            ? null
            : PaymentReasons.InvalidSignature;
    }

    /// <summary>The domain comes from the offer alone: nothing the client sends can change it.</summary>
    private static Eip712Domain Domain(JsonObject offer, X402Network chain) => new(
        Text(offer["extra"] as JsonObject, "name") ?? chain.TokenName,
        Text(offer["extra"] as JsonObject, "version") ?? chain.TokenVersion,
        chain.ChainId,
        Text(offer, "asset") ?? chain.Asset);

    /// <summary>Until <c>validBefore</c> (after it the chain refuses the authorization anyway), at most a day.</summary>
    private DateTimeOffset KeepUntil(VerifiedPayment payment)
    {
        var validBefore = payment.Authorization.ValidBefore;
        var cap = time.GetUtcNow() + MaxReplayRetention;
        return validBefore > cap.ToUnixTimeSeconds() ? cap : DateTimeOffset.FromUnixTimeSeconds((long)validBefore);
    }

    private static bool TryText(JsonNode? node, out string text)
    {
        text = "";
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
            return false;
        text = value.GetValue<string>();
        return true;
    }

    private static string? Text(JsonObject? node, string name) => TryText(node?[name], out var text) ? text : null;

    /// <summary>A JSON string of 1–78 decimal digits, at most 2^256−1. A JSON number is refused: no coercion.</summary>
    private static bool TryUint256(JsonNode? node, out BigInteger value)
    {
        value = default;
        if (!TryText(node, out var text) || text.Length is 0 or > 78 || !text.All(char.IsAsciiDigit))
            return false;
        value = BigInteger.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        return value <= MaxUint256;
    }
}

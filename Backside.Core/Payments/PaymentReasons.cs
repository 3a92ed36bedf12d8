namespace Backside.Core.Payments;

/// <summary>Why a payment was refused: the reason codes of docs/x402.md#verification, in check order.</summary>
public static class PaymentReasons
{
    public const string MalformedBase64 = "malformed_base64";
    public const string MalformedJson = "malformed_json";
    public const string UnsupportedVersion = "unsupported_version";
    public const string MissingField = "missing_field";
    public const string InvalidField = "invalid_field";
    public const string UnknownScheme = "unknown_scheme";
    public const string WrongNetwork = "wrong_network";
    public const string AcceptedMismatch = "accepted_mismatch";
    public const string ShortSignature = "short_signature";
    public const string LongSignature = "long_signature";
    public const string BadV = "bad_v";
    public const string InvalidSignature = "invalid_signature";
    public const string HighS = "high_s_signature";
    public const string WrongRecipient = "wrong_recipient";
    public const string Expired = "expired";
    public const string NotYetValid = "not_yet_valid";
    public const string AmountMismatch = "amount_mismatch";
    public const string Replay = "replay";
}

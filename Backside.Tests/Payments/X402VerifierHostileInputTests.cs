using System.Text;
using System.Text.Json.Nodes;
using Backside.Core.Payments;
using Microsoft.Extensions.Time.Testing;

namespace Backside.Tests.Payments;

/// <summary>Whatever a client sends, the verifier answers with a reason; it never throws.</summary>
public class X402VerifierHostileInputTests
{
    private static readonly (JsonObject File, JsonObject Case) Valid = PaymentVectors.Find("vectors-dev.json", "v2-base-valid");

    private static X402Verifier Verifier() =>
        new(new InMemoryPaymentReplayStore(), new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1750000000)));

    private static PaymentOffers Offers() => new([], Valid.Case["server"]!["v2"]!["accepts"]!.AsArray().Select(o => o!.AsObject()).ToList());

    private static string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));

    /// <summary>The valid v2 payment with one member replaced.</summary>
    private static string With(Action<JsonObject> change)
    {
        var decoded = Valid.Case["decoded"]!.DeepClone().AsObject();
        change(decoded);
        return Encode(decoded.ToJsonString());
    }

    public static TheoryData<string, string> Cases() => new()
    {
        { "", PaymentReasons.MalformedBase64 },
        { "eyJ4 NDAy", PaymentReasons.MalformedBase64 },
        { Convert.ToBase64String([0xff, 0xfe, 0x7b, 0x7d]), PaymentReasons.MalformedJson },
        { Encode("[1,2,3]"), PaymentReasons.MalformedJson },
        { Encode("{\"x402Version\":2,\"x402Version\":2}"), PaymentReasons.MalformedJson },
        { Encode(new string('[', 5000)), PaymentReasons.MalformedJson },
        { Encode("{\"x402Version\":\"2\"}"), PaymentReasons.UnsupportedVersion },
        { Encode("{\"x402Version\":1e400}"), PaymentReasons.UnsupportedVersion },
        { With(p => p["payload"] = "a string"), PaymentReasons.InvalidField },
        { With(p => p["accepted"] = new JsonArray()), PaymentReasons.InvalidField },
        { With(p => p["payload"]!["authorization"]!["value"] = 10000), PaymentReasons.InvalidField },
        { With(p => p["payload"]!["authorization"]!["value"] = new string('9', 5000)), PaymentReasons.InvalidField },
        { With(p => p["payload"]!["authorization"]!["validBefore"] = "-1"), PaymentReasons.InvalidField },
        { With(p => p["payload"]!["authorization"]!["nonce"] = "0xzz"), PaymentReasons.InvalidField },
        { With(p => p["payload"]!["signature"] = "0x123"), PaymentReasons.InvalidField },
        { With(p => p["payload"]!["signature"] = "0x"), PaymentReasons.ShortSignature },
        { With(p => p["payload"]!["signature"] = "0x" + new string('f', 128) + "1b"), PaymentReasons.InvalidSignature },
        { With(p => p["payload"]!["signature"] = "0x" + new string('0', 63) + "5" + new string('0', 63) + "1" + "1b"), PaymentReasons.InvalidSignature },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Hostile_header_maps_to_a_reason(string header, string reason) =>
        Assert.Equal(reason, Verifier().Check(2, header, Offers()).Reason);

    [Fact]
    public async Task Concurrent_duplicates_are_accepted_exactly_once()
    {
        var verifier = Verifier();
        var header = Valid.Case["header"]!["value"]!.GetValue<string>();

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => verifier.VerifyAsync(2, header, Offers(), CancellationToken.None))));

        Assert.Single(results, r => r.IsValid);
        Assert.All(results.Where(r => !r.IsValid), r => Assert.Equal(PaymentReasons.Replay, r.Reason));
    }
}

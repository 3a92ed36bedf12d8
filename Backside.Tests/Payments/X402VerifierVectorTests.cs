using System.Text.Json.Nodes;
using Backside.Core.Payments;
using Microsoft.Extensions.Time.Testing;

namespace Backside.Tests.Payments;

public class X402VerifierVectorTests
{
    [Fact]
    public void Vector_files_are_found()
    {
        Assert.NotEmpty(PaymentVectors.Files());
        Assert.All(PaymentVectors.Files(), f => Assert.Equal("backside-x402-vectors", PaymentVectors.Load(f)["format"]!.GetValue<string>()));
    }

    [Theory]
    [MemberData(nameof(PaymentVectors.Cases), MemberType = typeof(PaymentVectors))]
    public async Task Verifier_agrees_with_the_vector(string file, string caseId)
    {
        var (vectors, testCase) = PaymentVectors.Find(file, caseId);
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(vectors["now"]!.GetValue<long>()));
        var verifier = new X402Verifier(new InMemoryPaymentReplayStore(), time);
        var offers = OffersOf(testCase["server"]!.AsObject());

        foreach (var setup in testCase["setup"]!.AsArray())
        {
            var accepted = await verifier.VerifyAsync(VersionOf(setup!), setup!["value"]!.GetValue<string>(), offers, CancellationToken.None);
            Assert.True(accepted.IsValid, $"setup header refused: {accepted.Reason}");
        }
        var header = testCase["header"]!;
        var result = await verifier.VerifyAsync(VersionOf(header), header["value"]!.GetValue<string>(), offers, CancellationToken.None);

        var expected = testCase["expected"]!;
        Assert.Equal(expected["valid"]!.GetValue<bool>(), result.IsValid);
        Assert.Equal(expected["reason"]?.GetValue<string>(), result.Reason);
        Assert.Equal(expected["payer"]?.GetValue<string>(), result.Payment?.Payer);
    }

    /// <summary>The rail is the header's name, as on the wire: PAYMENT-SIGNATURE is v2, X-PAYMENT v1.</summary>
    private static int VersionOf(JsonNode header) =>
        string.Equals(header["name"]!.GetValue<string>(), X402Verifier.V2Header, StringComparison.OrdinalIgnoreCase) ? 2 : 1;

    private static PaymentOffers OffersOf(JsonObject server) => new(
        server["v1"]?["accepts"]?.AsArray().Select(o => o!.AsObject()).ToList() ?? [],
        server["v2"]?["accepts"]?.AsArray().Select(o => o!.AsObject()).ToList() ?? []);
}

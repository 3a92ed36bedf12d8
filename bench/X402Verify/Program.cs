// Local x402 verifications per second on one thread: every valid case of a vector file, checked in a loop with
// the clock at the file's "now" (checks 1-17: base64, JSON, fields, EIP-712 hashing, secp256k1 recovery; the replay
// insert is storage, measured by the API benchmarks, not here).
// Usage: X402Verify <vectors-*.json> [seconds]
using System.Diagnostics;
using System.Text.Json.Nodes;
using Backside.Core.Payments;
using Microsoft.Extensions.Time.Testing;

var file = JsonNode.Parse(File.ReadAllText(args[0]))!.AsObject();
var seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10;
var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(file["now"]!.GetValue<long>()));
var verifier = new X402Verifier(new InMemoryPaymentReplayStore(), time);

var cases = file["cases"]!.AsArray()
    .Where(c => c!["expected"]!["valid"]!.GetValue<bool>() && c["setup"]!.AsArray().Count == 0)
    .Select(c =>
    {
        var server = c!["server"]!;
        var offers = new PaymentOffers(
            server["v1"]!["accepts"]!.AsArray().Select(o => o!.AsObject()).ToList(),
            server["v2"]!["accepts"]!.AsArray().Select(o => o!.AsObject()).ToList());
        var version = c["header"]!["name"]!.GetValue<string>() == X402Verifier.V2Header ? 2 : 1;
        return (Version: version, Header: c["header"]!["value"]!.GetValue<string>(), Offers: offers);
    })
    .ToList();

// Warm up (tiered JIT), then measure.
for (var i = 0; i < 2000; i++)
    Verify(cases[i % cases.Count]);
var watch = Stopwatch.StartNew();
var count = 0L;
while (watch.Elapsed.TotalSeconds < seconds)
{
    for (var i = 0; i < 100; i++)
        Verify(cases[(int)(count++ % cases.Count)]);
}
watch.Stop();
Console.WriteLine($"{cases.Count} valid payments, {count:N0} verifications in {watch.Elapsed.TotalSeconds:0.0} s: " +
    $"{count / watch.Elapsed.TotalSeconds:N0} verifications/s on one thread, {watch.Elapsed.TotalMicroseconds / count:0.0} µs each");

void Verify((int Version, string Header, PaymentOffers Offers) c)
{
    if (!verifier.Check(c.Version, c.Header, c.Offers).IsValid)
        throw new InvalidOperationException("A valid vector failed verification.");
}

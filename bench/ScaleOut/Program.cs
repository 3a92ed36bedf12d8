// The scale-out benchmark's measurements, against two instances (and a balancer in front of them):
//   revocation <instance A> <instance B> <admin key> <trials>
//     Each trial creates a key through A, uses it once on B (so B has it cached), revokes it through A, and from the
//     moment the DELETE returns sends requests to B one after another until B refuses one. Prints p50/p99/max of that
//     time and how many requests B still admitted after the DELETE returned (target 0; the latency target is 100 ms).
//   limits <balancer> <admin key> <limit per minute> <seconds> <workers>
//     Creates a key with that limit and hammers it through the balancer for the given time. A fresh key may spend
//     its whole minute's budget at once and then earns it back evenly (GCRA), so over an elapsed time E the allowance
//     is limit + floor(limit × E / 60 s); prints the successes, the allowance and their ratio (target 1.00, ±5%).
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

return args.FirstOrDefault() switch
{
    "revocation" => await RevocationAsync(new Uri(args[1]), new Uri(args[2]), args[3], int.Parse(args[4], CultureInfo.InvariantCulture)),
    "limits" => await LimitsAsync(new Uri(args[1]), args[2], int.Parse(args[3], CultureInfo.InvariantCulture),
        int.Parse(args[4], CultureInfo.InvariantCulture), int.Parse(args[5], CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: revocation <A> <B> <admin key> <trials> | limits <balancer> <admin key> <limit> <seconds> <workers>");
    return 2;
}

static async Task<int> RevocationAsync(Uri a, Uri b, string adminKey, int trials)
{
    using var admin = Client(a, adminKey);
    using var other = new HttpClient { BaseAddress = b };
    var latencies = new List<double>();
    var admittedAfter = 0;
    for (var trial = 0; trial < trials; trial++)
    {
        var (keyId, secret) = await CreateKeyAsync(admin, $"revocation-{trial}", 1_000_000);
        using (var first = await SendAsync(other, secret))
            first.EnsureSuccessStatusCode(); // B now has the key cached

        using var delete = await admin.DeleteAsync(new Uri($"/api/v1/api-keys/{keyId}", UriKind.Relative));
        delete.EnsureSuccessStatusCode();
        var since = Stopwatch.StartNew();
        while (true)
        {
            using var response = await SendAsync(other, secret);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
                break;
            response.EnsureSuccessStatusCode();
            admittedAfter++;
            if (since.Elapsed > TimeSpan.FromSeconds(30))
                throw new InvalidOperationException("B still admits a key revoked 30 s ago.");
        }
        latencies.Add(since.Elapsed.TotalMilliseconds);
    }
    latencies.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"revocation across instances, {trials} trials: p50 {Percentile(latencies, 0.50):F1} ms   p99 {Percentile(latencies, 0.99):F1} ms   max {latencies[^1]:F1} ms   (target 100 ms)"));
    Console.WriteLine($"requests B admitted after the DELETE returned: {admittedAfter} in {trials} trials");
    return 0;
}

static async Task<int> LimitsAsync(Uri balancer, string adminKey, int limit, int seconds, int workers)
{
    using var admin = Client(balancer, adminKey);
    var (_, secret) = await CreateKeyAsync(admin, $"limit-{limit}", limit);
    using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = workers }) { BaseAddress = balancer };
    long admitted = 0, refused = 0, other = 0;
    var clock = Stopwatch.StartNew();
    var end = TimeSpan.FromSeconds(seconds);
    await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
    {
        while (clock.Elapsed < end)
        {
            using var response = await SendAsync(client, secret);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK: Interlocked.Increment(ref admitted); break;
                case HttpStatusCode.TooManyRequests: Interlocked.Increment(ref refused); break;
                default: Interlocked.Increment(ref other); break;
            }
        }
    })));
    var elapsed = clock.Elapsed;
    var allowance = limit + Math.Floor(limit * elapsed.TotalSeconds / 60);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"limit {limit,6}/min over {elapsed.TotalSeconds:F1} s: {admitted,7} admitted, {refused,7} refused, {other} other; allowance {allowance,7:F0}; admitted/allowance {admitted / allowance:F3}"));
    return other == 0 ? 0 : 1;
}

static HttpClient Client(Uri baseAddress, string key)
{
    var client = new HttpClient { BaseAddress = baseAddress };
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    return client;
}

static async Task<(string Id, string Secret)> CreateKeyAsync(HttpClient admin, string name, int limit)
{
    string[] scopes = ["contacts:read"];
    using var response = await admin.PostAsJsonAsync(new Uri("/api/v1/api-keys", UriKind.Relative), new { name, scopes, rate_limit_per_minute = limit });
    response.EnsureSuccessStatusCode();
    var created = await response.Content.ReadFromJsonAsync<JsonElement>();
    return (created.GetProperty("id").GetString()!, created.GetProperty("key").GetString()!);
}

static async Task<HttpResponseMessage> SendAsync(HttpClient client, string secret)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/ping", UriKind.Relative));
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
    return await client.SendAsync(request);
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

// Revocation latency: creates a key, keeps several clients calling the API with it, revokes it through the API,
// and counts the requests that were *sent after* the DELETE returned and still succeeded. The target is zero.
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

var baseUrl = args[0];
var adminKey = args[1];
const int Workers = 8;

using var admin = new HttpClient { BaseAddress = new Uri(baseUrl) };
admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
string[] probeScopes = ["contacts:read"];
var created = await (await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "revocation-probe", scopes = probeScopes, rate_limit_per_minute = 1_000_000 }))
    .Content.ReadFromJsonAsync<JsonElement>();
var keyId = created.GetProperty("id").GetString()!;
var secret = created.GetProperty("key").GetString()!;

using var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
var clock = Stopwatch.StartNew();
long revokedAt = long.MaxValue; // Stopwatch ticks when DELETE returned
var results = new System.Collections.Concurrent.ConcurrentBag<(long SentAt, int Status)>();
using var stop = new CancellationTokenSource();

var workers = Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
{
    while (!stop.IsCancellationRequested)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/ping");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var sentAt = clock.ElapsedTicks;
        using var response = await client.SendAsync(request);
        results.Add((sentAt, (int)response.StatusCode));
    }
})).ToArray();

await Task.Delay(TimeSpan.FromSeconds(2));
var delete = await admin.DeleteAsync($"/api/v1/api-keys/{keyId}");
Interlocked.Exchange(ref revokedAt, clock.ElapsedTicks);
await Task.Delay(TimeSpan.FromSeconds(2));
stop.Cancel();
await Task.WhenAll(workers);

var after = results.Where(r => r.SentAt > revokedAt).ToList();
Console.WriteLine($"revoke returned {(int)delete.StatusCode}; requests before: {results.Count - after.Count}, after: {after.Count}");
Console.WriteLine($"succeeded after the DELETE returned: {after.Count(r => r.Status == 200)} (target 0)");
Console.WriteLine($"refused after the DELETE returned: {after.Count(r => r.Status == 401)}");
return after.Any(r => r.Status == 200) ? 1 : 0;

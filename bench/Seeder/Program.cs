// Seeds a Backside database (a SQLite file with --db <path>, or PostgreSQL with --postgres <connection string>) with
// one organization holding many keys, for the list benchmark, and times the dashboard grid's queries on it. Prints the raw secret of one full-access bench key on the last line of output;
// that key exists only in the throw-away bench database. With --mint <n> <file> it only writes n well-formed keys that
// match nothing (valid checksum, random body), one per line, for the unknown-key benchmark.
using System.Diagnostics;
using System.Security.Cryptography;
using Backside.Core;
using Backside.Core.ApiKeys;
using Backside.Core.Audit;
using Backside.Core.Common;
using Backside.Core.Data;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

if (Argument("--mint") is { } mint)
{
    await File.WriteAllLinesAsync(args[Array.IndexOf(args, "--mint") + 2],
        Enumerable.Range(0, int.Parse(mint, System.Globalization.CultureInfo.InvariantCulture)).Select(i => ApiKeyFormat.Generate(livemode: i % 2 == 0)));
    return;
}

var database = Argument("--postgres") is { } postgres
    ? new DatabaseOptions { Provider = DatabaseOptions.Postgres, ConnectionString = postgres }
    : new DatabaseOptions { ConnectionString = $"Data Source={Argument("--db") ?? throw new ArgumentException("--db <path> or --postgres <connection string> is required")}" };
var count = int.Parse(Argument("--keys") ?? "100000", System.Globalization.CultureInfo.InvariantCulture);

var services = new ServiceCollection().AddLogging()
    .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build()) // Core binds its options (defaults here) from it
    .AddBacksideCore(_ => database)
    .AddSingleton<IAuditHmacKey>(new FixedAuditHmacKey(RandomNumberGenerator.GetBytes(32))) // the seeder writes no audit events
    .BuildServiceProvider();
await services.MigrateBacksideDatabaseAsync();
var time = TimeProvider.System;

await using (var scope = services.CreateAsyncScope())
{
    var db = scope.ServiceProvider.GetRequiredService<BacksideDbContext>();
    var organization = new Organization { Id = EntityId.New(EntityId.OrganizationPrefix), Name = "Bench", CreatedAt = time.GetUtcNow() };
    db.Organizations.Add(organization);
    await db.SaveChangesAsync();

    var stopwatch = Stopwatch.StartNew();
    const int batch = 5000;
    for (var start = 0; start < count; start += batch)
    {
        db.ChangeTracker.Clear();
        for (var i = start; i < Math.Min(count, start + batch); i++)
            db.ApiKeys.Add(SeedKey(organization.Id, i));
        await db.SaveChangesAsync();
    }
    Console.Error.WriteLine($"seeded {count:N0} keys in {stopwatch.Elapsed.TotalSeconds:F1} s");

    var secret = ApiKeyFormat.Generate(livemode: true);
    var benchKey = SeedKey(organization.Id, -1, secret);
    benchKey.Scopes = null; // full access
    benchKey.RateLimitPerMinute = ApiKeyLimits.MaxRateLimitPerMinute;
    db.ApiKeys.Add(benchKey);
    await db.SaveChangesAsync();

    var caller = new Caller(organization.Id, CallerKind.User, "usr_bench", ScopeSet.Full, Livemode: true);
    var keys = scope.ServiceProvider.GetRequiredService<ApiKeyService>();
    await TimeAsync("grid: first page, newest first, with total", () => keys.SearchAsync(caller, new ApiKeyGridQuery(0, 25)));
    await TimeAsync("grid: page 2000, newest first, with total", () => keys.SearchAsync(caller, new ApiKeyGridQuery(2000, 25)));
    await TimeAsync("grid: first page sorted by name", () => keys.SearchAsync(caller, new ApiKeyGridQuery(0, 25, SortBy: ApiKeySortField.Name, Descending: false)));
    await TimeAsync("grid: search 'service-09999'", () => keys.SearchAsync(caller, new ApiKeyGridQuery(0, 25, Search: "service-09999")));
    Console.WriteLine(secret);
}

static ApiKey SeedKey(string organizationId, int index, string? secret = null)
{
    secret ??= ApiKeyFormat.Generate(livemode: index % 5 != 0);
    var now = TimeProvider.System.GetUtcNow();
    return new ApiKey
    {
        Id = EntityId.New(EntityId.ApiKeyPrefix),
        OrganizationId = organizationId,
        Name = index < 0 ? "bench" : $"service-{index:D5}",
        Livemode = secret.StartsWith(ApiKeyFormat.LivePrefix, StringComparison.Ordinal),
        Scopes = index % 3 == 0 ? null : [Scopes.ContactsRead],
        Status = index % 10 == 9 ? ApiKeyStatus.Revoked : ApiKeyStatus.Active,
        CreatedAt = now,
        CreatedBy = "usr_bench",
        SecretHash = ApiKeyFormat.Hash(secret),
        SecretCreatedAt = now,
        Hint = ApiKeyFormat.Hint(secret),
    };
}

static async Task TimeAsync(string label, Func<Task<ApiKeyGridPage>> query)
{
    await query(); // warm-up: compiles the query
    var timings = new List<double>();
    for (var i = 0; i < 20; i++)
    {
        var stopwatch = Stopwatch.StartNew();
        await query();
        timings.Add(stopwatch.Elapsed.TotalMilliseconds);
    }
    timings.Sort();
    Console.Error.WriteLine($"{label,-48} median {timings[10],7:F1} ms   max {timings[^1],7:F1} ms");
}

string? Argument(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}


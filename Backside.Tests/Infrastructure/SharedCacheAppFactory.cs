using Backside.Core.ApiKeys;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Backside.Tests.Infrastructure;

/// <summary>
/// The app with Redis configured (<c>BACKSIDE_TEST_REDIS</c>, or a server the test runs itself), under a key prefix
/// of its own; <see cref="Sibling"/> is a second instance on the same database, Redis and prefix.
/// </summary>
public sealed class SharedCacheAppFactory : BacksideAppFactory
{
    private readonly (string Key, string Value)[] settings;

    private SharedCacheAppFactory(TestDatabase database, bool ownsDatabase, string redis, string keyPrefix, (string Key, string Value)[] settings)
        : base(database, ownsDatabase)
    {
        Redis = redis;
        KeyPrefix = keyPrefix;
        this.settings = settings;
    }

    public SharedCacheAppFactory(string? redis = null)
        : this(TestDatabase.Create(), redis)
    {
    }

    /// <summary>
    /// An instance on <paramref name="database"/> (say <see cref="TestDatabase.CreatePostgres"/>), which it drops when
    /// disposed; <paramref name="settings"/> hold for its siblings too, as one deployment's configuration would.
    /// </summary>
    public SharedCacheAppFactory(TestDatabase database, string? redis = null, params (string Key, string Value)[] settings)
        : this(database, ownsDatabase: true, redis ?? TestRedis, Infrastructure.TestRedis.NewKeyPrefix(), settings)
    {
    }

    /// <summary>The shared test server; a test that needs it fails (never skips) without it.</summary>
    public static string TestRedis => Infrastructure.TestRedis.Configuration;

    public string Redis { get; }

    public string KeyPrefix { get; }

    public SharedCacheAppFactory Sibling() => new(Database, ownsDatabase: false, Redis, KeyPrefix, settings);

    /// <summary>Holds a query of this instance after it read its rows, so a change elsewhere can commit meanwhile.</summary>
    public ReadGate Reads { get; } = new();

    public ApiKeyCacheCoherence Coherence => Services.GetRequiredService<ApiKeyCacheCoherence>();

    /// <summary>The Redis key of a secret's entry in the second level.</summary>
    public RedisKey SecondLevelKey(string secret) =>
        KeyPrefix + "cache:api-key:" + Convert.ToHexStringLower(ApiKeyFormat.Hash(secret));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // The multiplexer waits 5 s for an answer, not the shipped 500 ms: one slow answer on a busy machine would
        // otherwise degrade a shared budget for a retry interval that the frozen test clock never ends.
        builder.UseSetting("Redis:Configuration", Redis + ",asyncTimeout=5000");
        builder.UseSetting("Redis:KeyPrefix", KeyPrefix);
        // A busy test machine can delay a confirmation past the shipped 250 ms; the tests hold every change to it.
        builder.UseSetting("Redis:AnnouncementTimeout", "00:00:05");
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
        builder.ConfigureServices(services => services.AddSingleton<IInterceptor>(Reads));
    }

    /// <summary>Starts the app and waits until its announcements are proven to arrive (its first probe came back).</summary>
    public Task UntilHearingAsync() => UntilAsync(() => Coherence.IsHearing, "hearing key-change announcements");

    public Task UntilNotHearingAsync() => UntilAsync(() => !Coherence.IsHearing, "noticing the lost subscription");

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"The app was not {what} within 15 s.");
            await Task.Delay(20);
        }
    }
}

using Backside.Core.ApiKeys;
using Backside.Web.Redis;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Backside.Web.Extensions;

public static class SharedCacheExtensions
{
    /// <summary>
    /// With <c>Redis:Configuration</c> set: Redis as the credential cache's second level (HybridCache takes the
    /// <see cref="Microsoft.Extensions.Caching.Distributed.IDistributedCache"/>), on the one shared connection, under
    /// <c>{KeyPrefix}cache:</c>, and key changes announced to every instance. Without it, nothing changes.
    /// </summary>
    public static WebApplicationBuilder AddBacksideSharedCache(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(RedisOptions.SectionName).Get<RedisOptions>() ?? new RedisOptions();
        if (!options.IsConfigured)
            return builder;

        builder.Services.AddStackExchangeRedisCache(_ => { });
        builder.Services.AddOptions<RedisCacheOptions>()
            .Configure<IConnectionMultiplexer, IOptions<RedisOptions>>((cache, redis, redisOptions) =>
            {
                cache.ConnectionMultiplexerFactory = () => Task.FromResult(redis);
                cache.InstanceName = redisOptions.Value.KeyPrefix + "cache:";
            });
        builder.Services.AddSingleton<RedisApiKeyChangeAnnouncer>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IApiKeyChangeAnnouncer>(sp => sp.GetRequiredService<RedisApiKeyChangeAnnouncer>()));
        builder.Services.AddHostedService<RedisApiKeyChangeListener>();
        return builder;
    }
}

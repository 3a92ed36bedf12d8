using Backside.Web.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Backside.Web.Extensions;

public static class RedisExtensions
{
    /// <summary>
    /// One <see cref="IConnectionMultiplexer"/> for the process when <c>Redis:Configuration</c> is set. It does not
    /// abort when Redis is unreachable at start: the instance comes up, each Redis user degrades as the README's
    /// "Scaling out" says, and the multiplexer keeps reconnecting in the background.
    /// </summary>
    public static WebApplicationBuilder AddBacksideRedis(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RedisOptions>()
            .BindConfiguration(RedisOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(RedisOptions.SectionName).Get<RedisOptions>() ?? new RedisOptions();
        if (!options.IsConfigured)
            return builder;

        builder.Services.AddSingleton<IConnectionMultiplexer>(sp =>
        {
            var configuration = ConfigurationOptions.Parse(sp.GetRequiredService<IOptions<RedisOptions>>().Value.Configuration!);
            configuration.AbortOnConnectFail = false;
            return ConnectionMultiplexer.Connect(configuration);
        });
        return builder;
    }
}

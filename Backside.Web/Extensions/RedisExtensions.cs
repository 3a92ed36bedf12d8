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
            var text = sp.GetRequiredService<IOptions<RedisOptions>>().Value.Configuration!;
            var configuration = ConfigurationOptions.Parse(text);
            configuration.AbortOnConnectFail = false;
            ApplyShortTimeouts(configuration, text);
            return ConnectionMultiplexer.Connect(configuration);
        });
        return builder;
    }

    /// <summary>
    /// Redis is a shortcut here, never the only way: a command fails at once while no connection is up (instead of
    /// queueing until it times out), and waits half a second at most when Redis is slow, so a request falls back to
    /// memory and the database quickly. A dead connection is noticed within seconds (keep-alive 5 s). A setting
    /// given in <c>Redis:Configuration</c> (such as <c>asyncTimeout=</c>) wins.
    /// </summary>
    private static void ApplyShortTimeouts(ConfigurationOptions configuration, string text)
    {
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        if (!Mentions(text, "connectTimeout"))
            configuration.ConnectTimeout = 2000;
        if (!Mentions(text, "syncTimeout"))
            configuration.SyncTimeout = 1000;
        if (!Mentions(text, "asyncTimeout"))
            configuration.AsyncTimeout = 500;
        if (!Mentions(text, "keepAlive"))
            configuration.KeepAlive = 5;
    }

    private static bool Mentions(string configuration, string setting) =>
        configuration.Contains(setting + "=", StringComparison.OrdinalIgnoreCase);
}

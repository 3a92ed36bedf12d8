using System.Net;
using Backside.Web.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using IPNetwork = System.Net.IPNetwork;

namespace Backside.Web.Extensions;

public static class NetworkExtensions
{
    public static WebApplicationBuilder AddBacksideNetwork(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReverseProxyOptions>()
            .BindConfiguration(ReverseProxyOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IConfigureOptions<ForwardedHeadersOptions>, ConfigureForwardedHeaders>();
        return builder;
    }

    private sealed class ConfigureForwardedHeaders(IOptions<ReverseProxyOptions> proxies) : IConfigureOptions<ForwardedHeadersOptions>
    {
        public void Configure(ForwardedHeadersOptions options)
        {
            // The framework trusts loopback by default; trust exactly what is configured instead. With both lists
            // empty the middleware would believe every sender, so no proxies configured means no headers read.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            options.ForwardedHeaders = proxies.Value.TrustedProxies.Count == 0
                ? ForwardedHeaders.None
                : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in proxies.Value.TrustedProxies)
            {
                if (IPNetwork.TryParse(proxy, out var network))
                    options.KnownIPNetworks.Add(network);
                else
                    options.KnownProxies.Add(IPAddress.Parse(proxy));
            }
        }
    }
}

using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;
using Microsoft.Extensions.Options;

namespace Backside.Web.Extensions;

/// <summary>Reverse proxies whose <c>X-Forwarded-For</c> we believe; no one else's.</summary>
public sealed class ReverseProxyOptions : IValidatableObject
{
    public const string SectionName = "ReverseProxy";

    /// <summary>Addresses or CIDR blocks of the proxies in front of Backside. Empty: the connection's address is the client's.</summary>
    public List<string> TrustedProxies { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        TrustedProxies.Where(p => !IPNetwork.TryParse(p, out _) && !IPAddress.TryParse(p, out _))
            .Select(p => new ValidationResult($"ReverseProxy:TrustedProxies: '{p}' is not an IP address or CIDR block."));
}

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

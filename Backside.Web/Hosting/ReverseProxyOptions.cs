using System.ComponentModel.DataAnnotations;
using System.Net;
using IPNetwork = System.Net.IPNetwork;

namespace Backside.Web.Hosting;

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

using System.ComponentModel.DataAnnotations;
using System.Numerics;
using Backside.Core.Payments;
using Backside.Core.Payments.Evm;
using Microsoft.Extensions.Options;

namespace Backside.Web.Payments;

public sealed class X402RouteOptions
{
    /// <summary>HTTP method, e.g. <c>GET</c>.</summary>
    public string Method { get; set; } = "GET";

    /// <summary>The endpoint's route pattern as mapped, e.g. <c>/api/v1/contacts</c> or <c>/api/v1/contacts/{id}</c>.</summary>
    public string Pattern { get; set; } = "";

    /// <summary>USDC atomic units (6 decimals): <c>10000</c> is $0.01.</summary>
    public string Price { get; set; } = "";

    public string Description { get; set; } = "";
}

using System.ComponentModel.DataAnnotations;
using System.Numerics;
using Backside.Core.Payments;
using Backside.Core.Payments.Evm;
using Microsoft.Extensions.Options;

namespace Backside.Web.Payments;

/// <summary>The x402 rail: which routes cost what, who is paid, on which networks, through which facilitator.</summary>
public sealed class X402Options
{
    public const string SectionName = "X402";

    public bool Enabled { get; set; } = true;

    /// <summary>The address USDC is paid to.</summary>
    [Required]
    public string PayTo { get; set; } = "";

    /// <summary><c>base</c> and/or <c>base-sepolia</c>; each priced route is offered on every one.</summary>
    public List<string> Networks { get; set; } = [];

    [Required, Url]
    public string FacilitatorUrl { get; set; } = "";

    /// <summary>Optional <c>Authorization</c> header value for a hosted facilitator (for example <c>Bearer …</c>).</summary>
    public string? FacilitatorAuthorization { get; set; }

    /// <summary>How long a payer's authorization must stay valid for settlement (clients set validBefore from it).</summary>
    [Range(10, 3600)]
    public int MaxTimeoutSeconds { get; set; } = 60;

    [Range(1, 60)]
    public int VerifyTimeoutSeconds { get; set; } = 10;

    /// <summary>Settlement waits for the transaction to be included in a block: give it time, and never retry it.</summary>
    [Range(5, 300)]
    public int SettleTimeoutSeconds { get; set; } = 60;

    public List<X402RouteOptions> Routes { get; set; } = [];

    /// <summary>
    /// Payments verified per client address (IPv6 by /64) and window. Each costs a signature recovery (about 0.6 ms
    /// of CPU) and, when valid, a facilitator call, so a stream of validly signed throw-away payments is capped.
    /// </summary>
    [Range(1, 1_000_000)]
    public int VerificationsPerAddress { get; set; } = 300;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan VerificationWindow { get; set; } = TimeSpan.FromMinutes(1);
}

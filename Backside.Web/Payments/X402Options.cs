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

/// <summary>Checks on start what data annotations cannot: known networks, a real address, sensible routes and prices.</summary>
public sealed class X402OptionsValidator : IValidateOptions<X402Options>
{
    public ValidateOptionsResult Validate(string? name, X402Options options)
    {
        if (!options.Enabled)
            return ValidateOptionsResult.Success;
        var errors = new List<string>();
        if (!EvmAddress.HasShape(options.PayTo) || options.PayTo.AsSpan(2).IndexOfAnyExcept('0') < 0)
            errors.Add("X402:PayTo must be a non-zero 0x-prefixed 40-hex-digit address.");
        if (options.Networks.Count == 0)
            errors.Add("X402:Networks must name at least one of: " + string.Join(", ", X402Network.All.Select(n => n.V1Name)) + ".");
        errors.AddRange(options.Networks.Where(n => X402Network.Find(n) is null).Select(n => $"X402:Networks: unknown network '{n}'."));
        errors.AddRange(options.Routes
            .GroupBy(r => (r.Method.ToUpperInvariant(), r.Pattern.TrimEnd('/').ToUpperInvariant()))
            .Where(g => g.Count() > 1)
            .Select(g => $"X402:Routes: {g.First().Method} {g.First().Pattern} is priced more than once."));
        foreach (var route in options.Routes)
        {
            if (!route.Pattern.StartsWith('/'))
                errors.Add($"X402:Routes: pattern '{route.Pattern}' must start with '/'.");
            if (!HttpMethods.IsGet(route.Method) && !HttpMethods.IsPost(route.Method) && !HttpMethods.IsPut(route.Method)
                && !HttpMethods.IsPatch(route.Method) && !HttpMethods.IsDelete(route.Method))
                errors.Add($"X402:Routes: method '{route.Method}' of {route.Pattern} is not one of GET, POST, PUT, PATCH, DELETE.");
            if (route.Price.Length is 0 or > 18 || !route.Price.All(char.IsAsciiDigit) || BigInteger.Parse(route.Price) <= 0)
                errors.Add($"X402:Routes: price '{route.Price}' of {route.Pattern} must be a positive whole number of USDC atomic units.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

using System.ComponentModel.DataAnnotations;
using System.Numerics;
using Backside.Core.Payments;
using Backside.Core.Payments.Evm;
using Microsoft.Extensions.Options;

namespace Backside.Web.Payments;

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
            if (route.Price.Length is 0 or > 18 || !route.Price.All(char.IsAsciiDigit) || BigInteger.Parse(route.Price, System.Globalization.CultureInfo.InvariantCulture) <= 0)
                errors.Add($"X402:Routes: price '{route.Price}' of {route.Pattern} must be a positive whole number of USDC atomic units.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

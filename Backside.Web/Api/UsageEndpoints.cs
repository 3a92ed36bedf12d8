using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Backside.Core.ApiKeys;
using Backside.Core.Identity;
using Backside.Core.Usage;
using Backside.Web.Authentication;
using Backside.Web.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Backside.Web.Api;

public sealed record UsageParameters(
    [FromQuery(Name = "from")][property: Description("Start of the range (rounded down to the period); by default 24 hours (hour) or 30 days (day) before to. Earlier than the plan's usage history (UsageHistoryDays) moves up to where that history starts; the response's from says where.")] DateTimeOffset? From,
    [FromQuery(Name = "to")][property: Description("End of the range (rounded up to the period); by default now. At most 92 days after from.")] DateTimeOffset? To,
    [FromQuery(Name = "granularity")][property: AllowedValues("hour", "day"), Description("Period of each data point; hour by default.")] string? Granularity);

public sealed record OrganizationUsageParameters(
    [FromQuery(Name = "from")][property: Description("Start of the range; by default 30 days before now. Earlier than the plan's usage history (UsageHistoryDays) moves up to where that history starts; the response's from says where.")] DateTimeOffset? From,
    [FromQuery(Name = "to")][property: Description("End of the range; by default now. At most 92 days after from.")] DateTimeOffset? To,
    [FromQuery(Name = "environment")][property: AllowedValues(ApiKeyEnvironments.Live, ApiKeyEnvironments.Test), Description("Only the live or only the test keys' requests (and payments on Base or Base Sepolia); by default both. A key sees only its own mode's keys whatever this says.")] string? Environment,
    [FromQuery(Name = "granularity")][property: AllowedValues("hour", "day"), Description("Period of each data point; by default hour for ranges up to 2 days and day for longer ones.")] string? Granularity);

/// <summary>Request counts by outcome; <c>client_errors</c> includes the 401, 403 and 429 counted on their own.</summary>
public sealed record UsageCountsResponse(long Requests, long Success, long ClientErrors, long ServerErrors, long Unauthorized, long Forbidden, long RateLimited)
{
    public static UsageCountsResponse From(UsageCounts c) =>
        new(c.Requests, c.Success, c.ClientErrors, c.ServerErrors, c.Unauthorized, c.Forbidden, c.RateLimited);
}

public sealed record UsagePointResponse(DateTimeOffset Start, UsageCountsResponse Counts);

public sealed record KeyUsageResponse(string KeyId, UsageGranularity Granularity, DateTimeOffset From, DateTimeOffset To, UsageCountsResponse Totals, IReadOnlyList<UsagePointResponse> Data)
{
    [JsonPropertyOrder(-1)]
    public string Object => "usage";
}

public sealed record KeyTotalResponse(string KeyId, string Name, string Hint, UsageCountsResponse Counts);

/// <param name="PaidRequests">Requests paid with x402 in the range (they carry no key, so they are not in the key totals).</param>
/// <param name="PaidAmount">What they paid, in USDC atomic units (6 decimals).</param>
/// <param name="Environment">live or test when the request asked for one; null for both.</param>
/// <param name="Data">Requests by outcome per period, every period present (zeros included); with days, the first starts at from.</param>
public sealed record OrganizationUsageResponse(
    DateTimeOffset From, DateTimeOffset To, UsageCountsResponse Totals, IReadOnlyList<KeyTotalResponse> TopKeys, long PaidRequests, long PaidAmount,
    string? Environment, UsageGranularity Granularity, IReadOnlyList<UsagePointResponse> Data)
{
    [JsonPropertyOrder(-1)]
    public string Object => "organization_usage";
}

public static class UsageEndpoints
{
    public static IEndpointRouteBuilder MapUsageEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/api-keys/{id}/usage", ForKey).WithTags("Usage").RequireScope(Scopes.UsageRead)
            .WithName("getKeyUsage").WithSummary("Get a key's usage")
            .WithDescription("The key's requests by outcome per hour or day over a range (by default the last 24 hours by hour; at most 92 days, and only within the days of history the organization's plan keeps: an earlier from or to is moved up to where it starts, so a range wholly before it is empty). Every period is present, zeros included.");
        api.MapGet("/usage", ForOrganization).WithTags("Usage").RequireScope(Scopes.UsageRead)
            .WithName("getOrganizationUsage").WithSummary("Get the organization's usage")
            .WithDescription("The organization's request totals, top keys and requests by outcome per hour or day over a range (by default the last 30 days; at most 92 days, and only within the days of history the organization's plan keeps: an earlier from or to is moved up to where it starts, so a range wholly before it is empty), optionally for the live or the test keys only, and the requests paid with x402.");
        return api;
    }

    static async Task<Results<Ok<KeyUsageResponse>, ProblemHttpResult>> ForKey(
        string id, [AsParameters] UsageParameters query, Caller caller, UsageService usage, CancellationToken ct)
    {
        var result = await usage.ForKeyAsync(caller, id, query.From, query.To, query.Granularity, ct);
        if (!result.Succeeded)
            return result.Error.ToProblem();
        var u = result.Value;
        return TypedResults.Ok(new KeyUsageResponse(u.ApiKeyId, u.Granularity, u.From, u.To,
            UsageCountsResponse.From(u.Totals), u.Points.Select(p => new UsagePointResponse(p.Start, UsageCountsResponse.From(p.Counts))).ToList()));
    }

    static async Task<Results<Ok<OrganizationUsageResponse>, ProblemHttpResult>> ForOrganization(
        [AsParameters] OrganizationUsageParameters query, Caller caller, UsageService usage, CancellationToken ct)
    {
        var result = await usage.ForOrganizationAsync(caller, query.From, query.To, query.Environment, query.Granularity, ct: ct);
        if (!result.Succeeded)
            return result.Error.ToProblem();
        var u = result.Value;
        return TypedResults.Ok(new OrganizationUsageResponse(u.From, u.To, UsageCountsResponse.From(u.Totals),
            u.TopKeys.Select(k => new KeyTotalResponse(k.ApiKeyId, k.Name, k.Hint, UsageCountsResponse.From(k.Counts))).ToList(),
            u.PaidRequests, u.PaidAmount, u.Environment, u.Granularity,
            u.Points.Select(p => new UsagePointResponse(p.Start, UsageCountsResponse.From(p.Counts))).ToList()));
    }
}

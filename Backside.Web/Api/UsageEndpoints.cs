using System.Text.Json.Serialization;
using Backside.Core.ApiKeys;
using Backside.Core.Identity;
using Backside.Core.Usage;
using Backside.Web.Authentication;
using Backside.Web.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Backside.Web.Api;

public sealed record UsageParameters([FromQuery] DateTimeOffset? From, [FromQuery] DateTimeOffset? To, [FromQuery] string? Granularity);

/// <summary>Request counts by outcome; <c>client_errors</c> includes the 401, 403 and 429 counted on their own.</summary>
public sealed record UsageCountsResponse(long Requests, long Success, long ClientErrors, long ServerErrors, long Unauthorized, long Forbidden, long RateLimited)
{
    public static UsageCountsResponse From(UsageCounts c) =>
        new(c.Requests, c.Success, c.ClientErrors, c.ServerErrors, c.Unauthorized, c.Forbidden, c.RateLimited);
}

public sealed record UsagePointResponse(DateTimeOffset Start, UsageCountsResponse Counts);

public sealed record KeyUsageResponse(string KeyId, string Granularity, DateTimeOffset From, DateTimeOffset To, UsageCountsResponse Totals, IReadOnlyList<UsagePointResponse> Data)
{
    [JsonPropertyOrder(-1)]
    public string Object => "usage";
}

public sealed record KeyTotalResponse(string KeyId, string Name, string Hint, UsageCountsResponse Counts);

/// <param name="PaidRequests">Requests paid with x402 in the range (they carry no key, so they are not in the key totals).</param>
/// <param name="PaidAmount">What they paid, in USDC atomic units (6 decimals).</param>
public sealed record OrganizationUsageResponse(
    DateTimeOffset From, DateTimeOffset To, UsageCountsResponse Totals, IReadOnlyList<KeyTotalResponse> TopKeys, long PaidRequests, long PaidAmount)
{
    [JsonPropertyOrder(-1)]
    public string Object => "organization_usage";
}

public static class UsageEndpoints
{
    public static IEndpointRouteBuilder MapUsageEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/api-keys/{id}/usage", ForKey).WithTags("Usage").RequireScope(Scopes.UsageRead);
        api.MapGet("/usage", ForOrganization).WithTags("Usage").RequireScope(Scopes.UsageRead);
        return api;
    }

    static async Task<Results<Ok<KeyUsageResponse>, ProblemHttpResult>> ForKey(
        string id, [AsParameters] UsageParameters query, Caller caller, UsageService usage, CancellationToken ct)
    {
        var result = await usage.ForKeyAsync(caller, id, query.From, query.To, query.Granularity, ct);
        if (!result.Succeeded)
            return result.Error.ToProblem();
        var u = result.Value;
        return TypedResults.Ok(new KeyUsageResponse(u.ApiKeyId, u.Granularity.ToString().ToLowerInvariant(), u.From, u.To,
            UsageCountsResponse.From(u.Totals), u.Points.Select(p => new UsagePointResponse(p.Start, UsageCountsResponse.From(p.Counts))).ToList()));
    }

    static async Task<Results<Ok<OrganizationUsageResponse>, ProblemHttpResult>> ForOrganization(
        [AsParameters] UsageParameters query, Caller caller, UsageService usage, CancellationToken ct)
    {
        var result = await usage.ForOrganizationAsync(caller, query.From, query.To, ct: ct);
        if (!result.Succeeded)
            return result.Error.ToProblem();
        var u = result.Value;
        return TypedResults.Ok(new OrganizationUsageResponse(u.From, u.To, UsageCountsResponse.From(u.Totals),
            u.TopKeys.Select(k => new KeyTotalResponse(k.ApiKeyId, k.Name, k.Hint, UsageCountsResponse.From(k.Counts))).ToList(),
            u.PaidRequests, u.PaidAmount));
    }
}

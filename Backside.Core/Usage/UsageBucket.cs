namespace Backside.Core.Usage;

/// <summary>One key's requests in one UTC hour, by outcome. Written by the usage flush, never per request.</summary>
public sealed class UsageBucket
{
    public required string ApiKeyId { get; init; }
    public required string OrganizationId { get; init; }
    public DateTimeOffset HourStart { get; init; }
    public long Requests { get; set; }
    public long Success { get; set; }
    public long ClientErrors { get; set; }
    public long ServerErrors { get; set; }
    public long Unauthorized { get; set; }
    public long Forbidden { get; set; }
    public long RateLimited { get; set; }
}

/// <summary>The last time a key exercised a scope: the evidence for suggesting narrower keys.</summary>
public sealed class ScopeUse
{
    public required string ApiKeyId { get; init; }
    public required string Scope { get; init; }
    public DateTimeOffset LastSeenAt { get; set; }
}

/// <summary>Counts by outcome; 401, 403 and 429 are also inside <see cref="ClientErrors"/>.</summary>
public readonly record struct UsageCounts(long Requests, long Success, long ClientErrors, long ServerErrors, long Unauthorized, long Forbidden, long RateLimited)
{
    public static UsageCounts ForStatus(int status) => new(
        1,
        status is >= 200 and < 300 ? 1 : 0,
        status is >= 400 and < 500 ? 1 : 0,
        status >= 500 ? 1 : 0,
        status == 401 ? 1 : 0,
        status == 403 ? 1 : 0,
        status == 429 ? 1 : 0);

    public static UsageCounts operator +(UsageCounts a, UsageCounts b) => new(
        a.Requests + b.Requests, a.Success + b.Success, a.ClientErrors + b.ClientErrors, a.ServerErrors + b.ServerErrors,
        a.Unauthorized + b.Unauthorized, a.Forbidden + b.Forbidden, a.RateLimited + b.RateLimited);

    public bool IsZero => Requests == 0;
}

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

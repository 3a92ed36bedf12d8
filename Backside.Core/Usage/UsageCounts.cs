namespace Backside.Core.Usage;

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

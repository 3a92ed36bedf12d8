namespace Backside.Web.Authentication;

/// <summary>
/// Counts refused requests by the code their answer carries, so a flood is reported once a minute by
/// <see cref="RefusalSummaryService"/> instead of a log line per request. One slot per known code in a fixed array,
/// bumped with <see cref="Interlocked"/>: counting allocates nothing and takes no lock on the hot path.
/// </summary>
public sealed class RefusalCounter
{
    /// <summary>The codes counted, in the order the summary lists them; anything else is counted as <c>other</c>.</summary>
    public static readonly IReadOnlyList<string> Codes =
    [
        "invalid_api_key", "api_key_revoked", "api_key_expired", "api_key_inactive", "missing_credentials",
        "invalid_access_token", "access_token_expired", "insufficient_scope", "ip_not_allowed", "referrer_not_allowed",
        "forbidden", "invalid_payment", "rate_limited", "ambiguous_credentials", "other",
    ];

    private readonly long[] counts = new long[Codes.Count];

    public void Count(string code) => Interlocked.Increment(ref counts[IndexOf(code)]);

    /// <summary>The counts since the last drain, by code (zero counts left out), and resets them.</summary>
    public IReadOnlyList<(string Code, long Count)> Drain()
    {
        var drained = new List<(string, long)>();
        for (var i = 0; i < counts.Length; i++)
        {
            var count = Interlocked.Exchange(ref counts[i], 0);
            if (count > 0)
                drained.Add((Codes[i], count));
        }
        return drained;
    }

    // A switch on a string compiles to length and character tests: no hashing, no allocation.
    private static int IndexOf(string code) => code switch
    {
        "invalid_api_key" => 0,
        "api_key_revoked" => 1,
        "api_key_expired" => 2,
        "api_key_inactive" => 3,
        "missing_credentials" => 4,
        "invalid_access_token" => 5,
        "access_token_expired" => 6,
        "insufficient_scope" => 7,
        "ip_not_allowed" => 8,
        "referrer_not_allowed" => 9,
        "forbidden" => 10,
        "invalid_payment" => 11,
        "rate_limited" => 12,
        "ambiguous_credentials" => 13,
        _ => 14,
    };
}

using System.Globalization;
using Backside.Core.Identity;
using Backside.Web.Authentication;

namespace Backside.Web.Components.Account;

/// <summary>The account pages' side of <see cref="SignInThrottle"/>: a 429 with <c>Retry-After</c> and a message for the page.</summary>
public static class SignInThrottleRefusal
{
    /// <summary>Spends a permit; when refused, marks the response 429 and returns the message the page shows.</summary>
    public static string? Check(SignInThrottle throttle, HttpContext http, string? account)
    {
        var decision = throttle.Acquire(http.Connection.RemoteIpAddress, account);
        if (decision.Allowed)
            return null;
        http.RequestServices.GetRequiredService<RefusalCounter>().Count("rate_limited");
        var seconds = decision.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        if (!http.Response.HasStarted)
        {
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            http.Response.Headers.RetryAfter = seconds;
        }
        return $"Error: Too many attempts. Try again in {seconds} seconds.";
    }
}

using System.Collections.Concurrent;
using Backside.Web.Api;
using Microsoft.AspNetCore.Authentication;

namespace Backside.Web.Authentication;

/// <summary>
/// Why a credential was refused, as the client will read it. Messages are generic on purpose: they never say
/// whether a key exists in another organization or which part of a malformed key was wrong.
/// </summary>
public sealed record ApiKeyFailure(string Code, string Title, string Detail, int Status = StatusCodes.Status401Unauthorized, int? RetryAfterSeconds = null)
{
    private ApiKeyAuthenticationException? exception;
    private AuthenticateResult? result;
    private PreparedProblem? problem;

    /// <summary>The failure as <c>AuthenticateResult.Fail</c> carries it; never thrown, so one instance serves every request.</summary>
    public ApiKeyAuthenticationException Exception => exception ??= new ApiKeyAuthenticationException(this);

    /// <summary>The failed result itself, also one for every request: an <see cref="AuthenticateResult"/> cannot be changed once made.</summary>
    public AuthenticateResult Result => result ??= AuthenticateResult.Fail(Exception);

    /// <summary>The answer, prepared once: every bad key of a flood gets one of a handful of these.</summary>
    public PreparedProblem Problem => problem ??= Prepare();

    private PreparedProblem Prepare()
    {
        var details = ApiProblem.Create(Status, Code, Title, Detail);
        if (RetryAfterSeconds is { } seconds)
            details.Extensions[ApiProblem.RetryAfterKey] = seconds;
        return new PreparedProblem(details);
    }

    public static readonly ApiKeyFailure MissingCredentials = new("missing_credentials", "Missing credentials",
        "Send an API key as 'Authorization: Bearer bsk_…', in the X-API-Key header, or as X-Api-Key (key id) with X-Api-Secret; or an access token from /api/v1/auth/login as 'Authorization: Bearer …'.");

    public static readonly ApiKeyFailure IncompletePair = new("invalid_api_key", "Invalid API key",
        "The pair form needs both headers: X-Api-Key with the key id and X-Api-Secret with the secret.");

    public static readonly ApiKeyFailure Invalid = new("invalid_api_key", "Invalid API key",
        "The API key is not valid.");

    public static readonly ApiKeyFailure UnsupportedAuthorization = new("invalid_api_key", "Invalid API key",
        "The Authorization header must be 'Bearer bsk_…'.");

    public static readonly ApiKeyFailure Revoked = new("api_key_revoked", "API key revoked",
        "This API key has been revoked. Create a new key in Settings > API Keys.");

    public static readonly ApiKeyFailure Expired = new("api_key_expired", "API key expired",
        "This API key has expired. Create a new key in Settings > API Keys.");

    private static readonly ConcurrentDictionary<int, ApiKeyFailure> lookupsThrottled = new();

    /// <summary>
    /// 429: this address made too many lookups of keys that do not exist (<c>ApiKeys:UnknownKeys</c>). One instance
    /// per distinct wait, at most one a second of the window, so a flood of them allocates nothing.
    /// </summary>
    public static ApiKeyFailure LookupsThrottled(int retryAfterSeconds) =>
        lookupsThrottled.GetOrAdd(retryAfterSeconds, static seconds => new("rate_limited", "Too many unknown API keys",
            $"Too many requests from this address with API keys that do not exist. Try again in {seconds} seconds.",
            StatusCodes.Status429TooManyRequests, seconds));

    public static readonly ApiKeyFailure Inactive = new("api_key_inactive", "API key inactive",
        "This API key is deactivated. Activate it in Settings > API Keys.");
}

using System.Buffers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Backside.Core.ApiKeys;
using Backside.Core.Common;
using Backside.Core.Identity;
using Backside.Core.Usage;
using Backside.Web.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Backside.Web.Authentication;

/// <summary>
/// Authenticates <c>Authorization: Bearer bsk_…</c> and <c>X-API-Key: bsk_…</c>, shaped like the framework's
/// JwtBearer handler: authenticate records a failure, challenge and forbid write it as problem+json.
/// A malformed key is refused before any I/O; a well-formed one costs one SHA-256 and one store lookup.
/// </summary>
public sealed partial class ApiKeyHandler(
    IOptionsMonitor<ApiKeyOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TimeProvider time,
    ApiKeyUsageTracker usage,
    RefusalCounter refusals)
    : AuthenticationHandler<ApiKeyOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var (candidate, claimedKeyId, failure) = ReadCredential();
        if (failure is not null)
            return Fail(ApiKeyFeature.Unidentified, failure);
        if (candidate is null)
            return AuthenticateResult.NoResult();

        if (!ApiKeyFormat.TryParse(candidate.Value.Span, out _))
        {
            Log.MalformedKey(Logger);
            return Fail(ApiKeyFeature.Unidentified, ApiKeyFailure.Invalid);
        }

        var hash = ApiKeyFormat.Hash(candidate.Value.Span);
        var store = Context.RequestServices.GetRequiredService<IApiKeyCredentialStore>();
        var lookup = await store.FindBySecretHashAsync(hash, Context.Connection.RemoteIpAddress, Context.RequestAborted);
        if (!lookup.Throttle.Allowed)
        {
            Log.LookupsThrottled(Logger);
            return Fail(ApiKeyFeature.Unidentified, ApiKeyFailure.LookupsThrottled(lookup.Throttle.RetryAfterSeconds));
        }
        var key = lookup.Credential;
        var now = time.GetUtcNow();
        if (key is null || !CryptographicOperations.FixedTimeEquals(key.SecretHash, hash) || !key.IsSecretCurrent(now))
        {
            Log.UnknownKey(Logger);
            return Fail(ApiKeyFeature.Unidentified, ApiKeyFailure.Invalid);
        }
        if (claimedKeyId is not null && !IsSameId(claimedKeyId, key.Id))
        {
            Log.PairMismatch(Logger, key.Id);
            return Fail(ApiKeyFeature.Unidentified, ApiKeyFailure.Invalid);
        }

        if (RefusalFor(key.EffectiveStatus(now)) is { } refusal)
        {
            Log.KeyRefused(Logger, key.Id, refusal.Code);
            return Fail(ApiKeyFeature.Refused(key), refusal);
        }

        Context.Features.Set(ApiKeyFeature.Accepted(key));
        usage.Record(key.Id, now, Context.Connection.RemoteIpAddress);
        // The request's caller, built once: endpoints take it as a parameter, the scope check reads its scopes.
        var caller = Caller.ForKey(key, CallerIdentity.ClientOf(Context));
        var principal = new ClaimsPrincipal(new CallerIdentity(caller, Scheme.Name));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var failure = (result.Failure as ApiKeyAuthenticationException)?.Failure ?? ApiKeyFailure.MissingCredentials;
        refusals.Count(failure.Code);

        if (failure.RetryAfterSeconds is { } seconds)
            Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        else
        {
            // As RFC 6750 asks: name the scheme, and say the token was bad when one was sent.
            Response.Headers.WWWAuthenticate = failure == ApiKeyFailure.MissingCredentials
                ? $"Bearer realm=\"{ApiKeyDefaults.Realm}\""
                : $"Bearer realm=\"{ApiKeyDefaults.Realm}\", error=\"invalid_token\"";
        }
        await ApiProblem.WriteAsync(Context, failure.Problem);
    }

    /// <summary>
    /// A forbid no requirement explained. The reasons of <c>/api/v1</c> (scope, IP, referrer) never come here:
    /// <see cref="Authorization.ApiAuthorizationResultHandler"/> writes those 403s itself.
    /// </summary>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        refusals.Count("forbidden");
        return ApiProblem.WriteAsync(Context, ApiProblem.Forbidden());
    }

    /// <summary>
    /// The key from <c>Authorization</c> first, then the pair form (<c>X-Api-Key</c> id + <c>X-Api-Secret</c>), then
    /// <c>X-API-Key</c> alone. A header that is present but unusable is a failure, never a reason to try the next rail.
    /// </summary>
    /// <remarks>The key is a slice of the header's value, not a copy: it is read, hashed and dropped.</remarks>
    private (ReadOnlyMemory<char>? Candidate, string? ClaimedKeyId, ApiKeyFailure? Failure) ReadCredential()
    {
        var authorization = Request.Headers.Authorization;
        if (authorization.Count > 0)
        {
            if (authorization.Count > 1)
                return (null, null, ApiKeyFailure.UnsupportedAuthorization);
            var value = authorization.ToString();
            const string bearer = "Bearer ";
            if (!value.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
                return (null, null, ApiKeyFailure.UnsupportedAuthorization);
            var token = value.AsMemory(bearer.Length).Trim();
            return token.Span.StartsWith(ApiKeyDefaults.TokenPrefix, StringComparison.Ordinal)
                ? (token, null, null)
                : (null, null, ApiKeyFailure.UnsupportedAuthorization);
        }

        if (!Options.AllowHeader)
            return (null, null, null);
        var hasKeyHeader = Request.Headers.TryGetValue(ApiKeyDefaults.HeaderName, out var keyHeader);
        var hasSecretHeader = Request.Headers.TryGetValue(ApiKeyDefaults.SecretHeaderName, out var secretHeader);
        if (hasSecretHeader)
        {
            return hasKeyHeader && keyHeader.Count == 1 && secretHeader.Count == 1
                ? (secretHeader.ToString().AsMemory().Trim(), keyHeader.ToString().Trim(), null)
                : (null, null, ApiKeyFailure.IncompletePair);
        }
        if (!hasKeyHeader)
            return (null, null, null);
        if (keyHeader.Count != 1)
            return (null, null, ApiKeyFailure.Invalid);
        var key = keyHeader.ToString().Trim();
        if (key.StartsWith(ApiKeyDefaults.TokenPrefix, StringComparison.Ordinal))
            return (key.AsMemory(), null, null);
        // A key id without its secret is half of the pair form, not a key.
        return (null, null, EntityId.HasShape(key, EntityId.ApiKeyPrefix) ? ApiKeyFailure.IncompletePair : ApiKeyFailure.Invalid);
    }

    private static bool IsSameId(string claimed, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(claimed), Encoding.UTF8.GetBytes(actual));

    private static ApiKeyFailure? RefusalFor(ApiKeyStatus status) => status switch
    {
        ApiKeyStatus.Active => null,
        ApiKeyStatus.Revoked => ApiKeyFailure.Revoked,
        ApiKeyStatus.Expired => ApiKeyFailure.Expired,
        ApiKeyStatus.Inactive => ApiKeyFailure.Inactive,
        _ => ApiKeyFailure.Invalid,
    };

    private AuthenticateResult Fail(ApiKeyFeature verdict, ApiKeyFailure failure)
    {
        Context.Features.Set(verdict);
        return failure.Result;
    }

    /// <summary>
    /// At Debug: a refusal is the client's mistake or an attack, never the server's, and a flood of them must not
    /// fill the disk. <see cref="RefusalSummaryService"/> reports them once a minute instead. Nothing here carries
    /// the key; a key id is not a secret.
    /// </summary>
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "API key authentication failed: the key is malformed.")]
        public static partial void MalformedKey(ILogger logger);

        [LoggerMessage(2, LogLevel.Debug, "API key authentication failed: no such key.")]
        public static partial void UnknownKey(ILogger logger);

        [LoggerMessage(3, LogLevel.Debug, "API key {KeyId} was refused: {Code}.")]
        public static partial void KeyRefused(ILogger logger, string keyId, string code);

        [LoggerMessage(5, LogLevel.Debug, "API key authentication refused: this address looked up too many keys that do not exist.")]
        public static partial void LookupsThrottled(ILogger logger);

        [LoggerMessage(4, LogLevel.Debug, "API key authentication failed: the secret of {KeyId} came with another key id.")]
        public static partial void PairMismatch(ILogger logger, string keyId);
    }
}

using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Backside.Core.ApiKeys;
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
    ApiKeyUsageTracker usage)
    : AuthenticationHandler<ApiKeyOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var (candidate, failure) = ReadCredential();
        if (failure is not null)
            return Fail(failure);
        if (candidate is null)
            return AuthenticateResult.NoResult();

        if (!ApiKeyFormat.TryParse(candidate, out _))
        {
            Log.MalformedKey(Logger);
            return Fail(ApiKeyFailure.Invalid);
        }

        var hash = ApiKeyFormat.Hash(candidate);
        var store = Context.RequestServices.GetRequiredService<IApiKeyCredentialStore>();
        var key = await store.FindBySecretHashAsync(hash, Context.RequestAborted);
        if (key is null || !CryptographicOperations.FixedTimeEquals(key.SecretHash, hash))
        {
            Log.UnknownKey(Logger);
            return Fail(ApiKeyFailure.Invalid);
        }

        var now = time.GetUtcNow();
        if (RefusalFor(key.EffectiveStatus(now)) is { } refusal)
        {
            Log.KeyRefused(Logger, key.Id, refusal.Code);
            return Fail(refusal);
        }

        usage.Record(key.Id, now, Context.Connection.RemoteIpAddress?.ToString());
        var principal = new ClaimsPrincipal(CallerClaims.ToIdentity(key, Scheme.Name));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var failure = (result.Failure as ApiKeyAuthenticationException)?.Failure ?? ApiKeyFailure.MissingCredentials;

        // As RFC 6750 asks: name the scheme, and say the token was bad when one was sent.
        Response.Headers.WWWAuthenticate = failure == ApiKeyFailure.MissingCredentials
            ? $"Bearer realm=\"{ApiKeyDefaults.Realm}\""
            : $"Bearer realm=\"{ApiKeyDefaults.Realm}\", error=\"invalid_token\"";
        await ApiProblem.WriteAsync(Context, ApiProblem.Create(StatusCodes.Status401Unauthorized, failure.Code, failure.Title, failure.Detail));
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var requiredScope = properties.Items.TryGetValue(ApiKeyDefaults.RequiredScopeItem, out var scope) ? scope : null;
        var problem = ApiProblem.Create(StatusCodes.Status403Forbidden, "insufficient_scope", "Insufficient scope",
            requiredScope is null ? "This API key may not perform this action." : $"This action requires the {requiredScope} scope.");
        if (requiredScope is not null)
            problem.Extensions[ApiProblem.RequiredScopeKey] = requiredScope;
        return ApiProblem.WriteAsync(Context, problem);
    }

    /// <summary>
    /// The key from <c>Authorization</c> first, then <c>X-API-Key</c>. A header that is present but unusable is a
    /// failure, never a reason to try the next rail.
    /// </summary>
    private (string? Candidate, ApiKeyFailure? Failure) ReadCredential()
    {
        var authorization = Request.Headers.Authorization;
        if (authorization.Count > 0)
        {
            if (authorization.Count > 1)
                return (null, ApiKeyFailure.UnsupportedAuthorization);
            var value = authorization.ToString();
            const string bearer = "Bearer ";
            if (!value.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
                return (null, ApiKeyFailure.UnsupportedAuthorization);
            var token = value[bearer.Length..].Trim();
            return token.StartsWith(ApiKeyDefaults.TokenPrefix, StringComparison.Ordinal)
                ? (token, null)
                : (null, ApiKeyFailure.UnsupportedAuthorization);
        }

        if (Options.AllowHeader && Request.Headers.TryGetValue(ApiKeyDefaults.HeaderName, out var header))
            return header.Count == 1 ? (header.ToString().Trim(), null) : (null, ApiKeyFailure.Invalid);

        return (null, null);
    }

    private static ApiKeyFailure? RefusalFor(ApiKeyStatus status) => status switch
    {
        ApiKeyStatus.Active => null,
        ApiKeyStatus.Revoked => ApiKeyFailure.Revoked,
        ApiKeyStatus.Expired => ApiKeyFailure.Expired,
        ApiKeyStatus.Inactive => ApiKeyFailure.Inactive,
        _ => ApiKeyFailure.Invalid,
    };

    private static AuthenticateResult Fail(ApiKeyFailure failure) =>
        AuthenticateResult.Fail(new ApiKeyAuthenticationException(failure));

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "API key authentication failed: the key is malformed.")]
        public static partial void MalformedKey(ILogger logger);

        [LoggerMessage(2, LogLevel.Information, "API key authentication failed: no such key.")]
        public static partial void UnknownKey(ILogger logger);

        [LoggerMessage(3, LogLevel.Information, "API key {KeyId} was refused: {Code}.")]
        public static partial void KeyRefused(ILogger logger, string keyId, string code);
    }
}

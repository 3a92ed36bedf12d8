using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Backside.Core.Common;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Web.Authentication;
using Backside.Web.Authentication.Jwt;
using Backside.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Backside.Web.Api;

public sealed record LoginRequest(
    [property: Required] string? Email = null,
    [property: Required] string? Password = null,
    [property: Description("The six-digit code of the authenticator app, or a recovery code; required when the account has two-factor on.")]
    string? TwoFactorCode = null,
    [property: StringLength(SessionOrganization.MaxIdLength), Description("The organization (`org_…`) the session acts in; the person must belong to it (400 `validation_failed` on `organization_id` otherwise, the same for an unknown id). Absent: the organization the person last chose in the dashboard while they still belong to it, else their oldest membership.")]
    string? OrganizationId = null);

public sealed record RefreshRequest([property: Required] string? RefreshToken = null);

/// <summary>Logout ends the session of the refresh token given; without one (or with an unknown one) it does nothing.</summary>
public sealed record LogoutRequest(string? RefreshToken = null);

public sealed record TokenResponse(
    string AccessToken, string RefreshToken, string TokenType, int ExpiresIn,
    [property: Description("The organization the tokens act in, and the person's role there when they were issued. Each request acts with the role held at that moment.")]
    SessionOrganization Organization);

/// <summary>API sessions for people: a short-lived access token and a rotating refresh token.</summary>
public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Sessions").AllowAnonymous().CarriesSecret();
        auth.MapPost("/login", Login)
            .WithName("login").WithSummary("Sign in")
            .WithDescription("Starts an API session for a person: a 15-minute access token (send it as `Authorization: Bearer`) and a refresh token, acting in one organization: `organization_id` if given (400 `validation_failed` when the person does not belong to it), else the one last chosen in the dashboard, else the oldest membership. The answer's `organization` says which. An account with two-factor on needs `two_factor_code` (401 `two_factor_required` without it). Every request with the access token re-reads the membership: after a removal it answers 401 `organization_membership_ended`.");
        auth.MapPost("/refresh", Refresh)
            .WithName("refreshSession").WithSummary("Refresh a session")
            .WithDescription("Exchanges a refresh token for a new access token and refresh token, in the session's organization. Each refresh token works once; presenting a used one ends the session (401 `refresh_token_reused`); so does a refresh after the person left or was removed from the organization (401 `organization_membership_ended`).");
        auth.MapPost("/logout", Logout)
            .WithName("logout").WithSummary("Sign out")
            .WithDescription("Ends the session of the refresh token given. Answers 204 whether or not the token was known.");
        return api;
    }

    static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> Login(
        LoginRequest request, HttpContext http, SignInThrottle throttle, ApiLogin login, RefreshTokenService refreshTokens,
        AccessTokenIssuer issuer, CancellationToken ct)
    {
        // Throttled before the account is looked at, so a known and an unknown email spend and answer alike.
        var decision = throttle.Acquire(http.Connection.RemoteIpAddress, request.Email);
        if (!decision.Allowed)
            return RateLimited(http, decision);
        var result = await login.LoginAsync(request.Email, request.Password, request.TwoFactorCode, request.OrganizationId,
            CallerIdentity.ClientOf(http), ct);
        if (result.Failure is { Field: { } field } invalid)
        {
            return OperationError.Invalid(new Dictionary<string, string[]> { [field] = [invalid.Message] }).ToProblem();
        }
        if (result.Failure is { } failure)
        {
            var problem = ApiProblem.Create(StatusCodes.Status401Unauthorized, failure.Code, "Sign-in failed", failure.Message);
            if (failure.RetryAfterSeconds is { } retryAfter)
                problem.Extensions[ApiProblem.RetryAfterKey] = retryAfter;
            return TypedResults.Problem(problem);
        }
        var (user, membership) = (result.User!, result.Membership!);
        var refreshToken = await refreshTokens.IssueAsync(user, membership.OrganizationId, ct);
        return TypedResults.Ok(Tokens(issuer.Issue(user.Id, membership, user.SecurityStamp), refreshToken, membership, issuer));
    }

    /// <summary>
    /// Every refresh token works once: the answer carries its successor. A reused one ends the session, and so does a
    /// refresh for an account that is gone, locked out or no longer in the session's organization.
    /// </summary>
    static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> Refresh(
        RefreshRequest request, HttpContext http, SignInThrottle throttle, RefreshTokenService refreshTokens,
        AccessTokenIssuer issuer, CancellationToken ct)
    {
        // The account is not known before the token is looked up, so refresh is throttled per address only.
        var decision = throttle.Acquire(http.Connection.RemoteIpAddress, account: null);
        if (!decision.Allowed)
            return RateLimited(http, decision);
        var result = await refreshTokens.RotateAsync(request.RefreshToken, ct);
        if (result.Succeeded)
            return TypedResults.Ok(Tokens(issuer.Issue(result.UserId, result.Membership, result.SecurityStamp), result.Token, result.Membership, issuer));
        return result.Outcome switch
        {
            RefreshOutcome.Reused => Unauthorized("refresh_token_reused",
                "This refresh token was already used, or its session has ended (signed out, or ended by a security change to the account such as a new password, two-factor or recovery codes, or a lockout). Sign in again."),
            RefreshOutcome.Expired => Unauthorized("refresh_token_expired", "The refresh token has expired. Sign in again."),
            RefreshOutcome.SessionExpired => Unauthorized("session_expired",
                "This session has reached its maximum lifetime from sign-in. Sign in again."),
            RefreshOutcome.AccountNotFound => Unauthorized("account_not_found", "The account this session belongs to no longer exists."),
            RefreshOutcome.LockedOut => Unauthorized("locked_out",
                "The account is locked out after too many failed sign-ins, so this session has been ended."),
            RefreshOutcome.SessionEnded => Unauthorized("session_ended",
                "A security change to the account since this session's sign-in (a new password, two-factor, recovery codes or a lockout) ended it. Sign in again."),
            RefreshOutcome.NotAMember => Unauthorized("organization_membership_ended",
                "You no longer belong to the organization this session acts in, so the session has been ended. Sign in again."),
            _ => Unauthorized("invalid_refresh_token", "The refresh token is not valid."),
        };
    }

    static async Task<NoContent> Logout(LogoutRequest request, RefreshTokenService refreshTokens, CancellationToken ct)
    {
        await refreshTokens.RevokeSessionAsync(request.RefreshToken, ct);
        return TypedResults.NoContent();
    }

    private static TokenResponse Tokens(string accessToken, string refreshToken, Membership membership, AccessTokenIssuer issuer) =>
        new(accessToken, refreshToken, "Bearer", (int)issuer.Lifetime.TotalSeconds, SessionOrganization.From(membership));

    /// <summary>429 <c>rate_limited</c> with <c>retry_after</c> in the body and a <c>Retry-After</c> header.</summary>
    private static ProblemHttpResult RateLimited(HttpContext http, ThrottleDecision decision)
    {
        var seconds = decision.RetryAfterSeconds;
        http.RequestServices.GetRequiredService<RefusalCounter>().Count("rate_limited");
        return TypedResults.Problem(ApiProblem.RateLimited(http, "Too many sign-in attempts",
            $"Too many sign-in requests from this address or for this account. Try again in {seconds} seconds.", seconds));
    }

    private static ProblemHttpResult Unauthorized(string code, string detail) =>
        TypedResults.Problem(ApiProblem.Create(StatusCodes.Status401Unauthorized, code, "Session refused", detail));
}

using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Backside.Core.ApiKeys;
using Backside.Core.Data;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Backside.Web.Authentication.Jwt;

/// <summary>
/// Short-lived access tokens for a signed-in user acting in one organization. A token names the person, the organization
/// and a digest of the account's security stamp; the role is read afresh on every request (<see cref="AttachCallerAsync"/>).
/// </summary>
public sealed class AccessTokenIssuer(IOptions<JwtOptions> options, JwtSigningKeyProvider keys, TimeProvider time)
{
    private readonly JsonWebTokenHandler handler = new();

    public TimeSpan Lifetime => TimeSpan.FromMinutes(options.Value.AccessTokenMinutes);

    /// <summary>
    /// A token for <paramref name="userId"/> acting in <paramref name="membership"/>'s organization. The role and scopes
    /// written are what the role held at issue, for a client to read; the server never trusts them (see
    /// <see cref="AttachCallerAsync"/>). <paramref name="securityStamp"/> is the account's stamp as the login or refresh
    /// checked it; only a digest of it goes into the token.
    /// </summary>
    public string Issue(string userId, Membership membership, string? securityStamp)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var scopes = Caller.ForMember(membership, userId).Scopes;
        var claims = new List<Claim>
        {
            new(JwtRegisteredClaimNames.Sub, userId),
            new(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
            new(BacksideClaimTypes.OrganizationId, membership.OrganizationId),
            new(BacksideClaimTypes.Role, membership.Role.ToString()),
        };
        if (securityStamp is not null)
            claims.Add(new Claim(BacksideClaimTypes.SecurityStampDigest, StampDigest(securityStamp)));
        claims.AddRange(CallerClaims.ScopeClaims(scopes));

        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = options.Value.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            SigningCredentials = new SigningCredentials(keys.Key, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>
    /// Gives a validated token's principal its caller, built once for the request: the member acting in the token's
    /// organization with the rights of the role they hold <b>now</b>. One indexed query (<see cref="MembershipLookup"/>)
    /// re-reads the membership and the account's security stamp, so a person removed from the organization is refused
    /// on their next request (401 <c>organization_membership_ended</c>), a demoted one acts with the new role at once, and
    /// a security change to the account ends its tokens (401 <c>session_ended</c>). A token that names no member fails.
    /// </summary>
    public static async Task AttachCallerAsync(TokenValidatedContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity token
            || token.FindFirst(JwtRegisteredClaimNames.Sub)?.Value is not { } userId
            || token.FindFirst(BacksideClaimTypes.OrganizationId)?.Value is not { } organizationId)
        {
            context.Fail("The access token does not name a member of an organization.");
            return;
        }
        var db = context.HttpContext.RequestServices.GetRequiredService<BacksideDbContext>();
        var standing = await MembershipLookup.StandingAsync(db, organizationId, userId, context.HttpContext.RequestAborted);
        if (standing is null)
        {
            context.Fail(AccessTokenRefusedException.MembershipEnded());
            return;
        }
        // Tokens issued before the digest was written carry none; they run out within their lifetime.
        if (token.FindFirst(BacksideClaimTypes.SecurityStampDigest)?.Value is { } digest
            && (standing.SecurityStamp is null || !CryptographicOperations.FixedTimeEquals(
                Encoding.ASCII.GetBytes(digest), Encoding.ASCII.GetBytes(StampDigest(standing.SecurityStamp)))))
        {
            context.Fail(AccessTokenRefusedException.SessionEnded());
            return;
        }
        var caller = Caller.ForMember(organizationId, standing.Role, userId, CallerIdentity.ClientOf(context.HttpContext));
        context.Principal = new ClaimsPrincipal(new CallerIdentity(caller, token));
    }

    /// <summary>A digest, not the stamp itself: a token is readable by whoever holds it.</summary>
    private static string StampDigest(string stamp) =>
        Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(stamp)).AsSpan(0, 16).ToArray());

    /// <summary>Lifetime checked against <see cref="TimeProvider"/>, so tests can move past expiry.</summary>
    public bool IsWithinLifetime(DateTime? notBefore, DateTime? expires)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var skew = TimeSpan.FromSeconds(30);
        return (notBefore is null || now + skew >= notBefore) && expires is { } end && now - skew < end;
    }
}

using System.Security.Claims;
using Backside.Core.ApiKeys;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Backside.Web.Authentication.Jwt;

/// <summary>Short-lived access tokens for a signed-in user acting in their organization with their role's rights.</summary>
public sealed class AccessTokenIssuer(IOptions<JwtOptions> options, JwtSigningKeyProvider keys, TimeProvider time)
{
    private readonly JsonWebTokenHandler handler = new();

    public TimeSpan Lifetime => TimeSpan.FromMinutes(options.Value.AccessTokenMinutes);

    public string Issue(string userId, Membership membership)
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
    /// organization with the rights of the role <see cref="Issue"/> wrote. A token that names no member fails.
    /// </summary>
    public static Task AttachCallerAsync(TokenValidatedContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity token
            || token.FindFirst(JwtRegisteredClaimNames.Sub)?.Value is not { } userId
            || token.FindFirst(BacksideClaimTypes.OrganizationId)?.Value is not { } organizationId
            || !Enum.TryParse<OrganizationRole>(token.FindFirst(BacksideClaimTypes.Role)?.Value, out var role)
            || !Enum.IsDefined(role))
        {
            context.Fail("The access token does not name a member of an organization.");
            return Task.CompletedTask;
        }
        var caller = Caller.ForMember(organizationId, role, userId, CallerIdentity.ClientOf(context.HttpContext));
        context.Principal = new ClaimsPrincipal(new CallerIdentity(caller, token));
        return Task.CompletedTask;
    }

    /// <summary>Lifetime checked against <see cref="TimeProvider"/>, so tests can move past expiry.</summary>
    public bool IsWithinLifetime(DateTime? notBefore, DateTime? expires)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var skew = TimeSpan.FromSeconds(30);
        return (notBefore is null || now + skew >= notBefore) && expires is { } end && now - skew < end;
    }
}

using System.Security.Claims;
using Backside.Core.ApiKeys;
using Backside.Core.Identity;
using Backside.Core.Organizations;
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
        claims.AddRange(scopes.Values is null
            ? [new Claim(BacksideClaimTypes.Scope, BacksideClaimTypes.FullAccess)]
            : scopes.Values.Select(s => new Claim(BacksideClaimTypes.Scope, s)));

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

    /// <summary>Lifetime checked against <see cref="TimeProvider"/>, so tests can move past expiry.</summary>
    public bool IsWithinLifetime(DateTime? notBefore, DateTime? expires)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var skew = TimeSpan.FromSeconds(30);
        return (notBefore is null || now + skew >= notBefore) && expires is { } end && now - skew < end;
    }
}

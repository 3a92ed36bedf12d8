using System.Security.Cryptography;
using System.Text;
using Backside.Core.ApiKeys;
using Backside.Core.Common;
using Backside.Core.Data;
using Backside.Core.Organizations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Backside.Core.Identity;

/// <summary>
/// Issues, rotates and revokes refresh tokens (opaque, random, stored hashed). Every rotation re-checks that the
/// account still exists, is not locked out and still belongs to the session's organization; a session that fails a
/// check, or outlives its family lifetime, is ended whole.
/// </summary>
public sealed class RefreshTokenService(
    BacksideDbContext db, UserManager<ApplicationUser> users, OrganizationService organizations,
    IOptions<RefreshTokenOptions> options, TimeProvider time)
{
    public const string Prefix = "bsr_";

    /// <summary>
    /// The first token of a new session (family) of <paramref name="user"/>, as loaded when its password was checked,
    /// acting in <paramref name="organizationId"/>.
    /// </summary>
    public Task<string> IssueAsync(ApplicationUser user, string organizationId, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var family = new Family(EntityId.New(EntityId.RefreshTokenPrefix, time), now, user.SecurityStamp);
        return AddAsync(user.Id, organizationId, family, ct);
    }

    /// <summary>Trades a token for a new one. A token used before revokes its whole family (theft detection).</summary>
    public async Task<RefreshResult> RotateAsync(string? token, CancellationToken ct = default)
    {
        var stored = await FindAsync(token, ct);
        if (stored is null)
            return new RefreshResult(RefreshOutcome.Invalid);
        var now = time.GetUtcNow();
        if (stored.UsedAt is not null || stored.RevokedAt is not null)
        {
            await RevokeFamilyAsync(stored.FamilyId, ct);
            return new RefreshResult(RefreshOutcome.Reused);
        }
        if (now >= stored.FamilyStartedAt + options.Value.FamilyLifetime)
        {
            await RevokeFamilyAsync(stored.FamilyId, ct);
            return new RefreshResult(RefreshOutcome.SessionExpired);
        }
        if (stored.ExpiresAt <= now)
            return new RefreshResult(RefreshOutcome.Expired);

        var (membership, refusal) = await RecheckAsync(stored, ct);
        if (membership is null)
        {
            await RevokeFamilyAsync(stored.FamilyId, ct);
            return new RefreshResult(refusal);
        }

        // Only one of two racing uses may mark the token used; the loser is treated as a reuse.
        var claimed = await db.RefreshTokens
            .Where(t => t.Id == stored.Id && t.UsedAt == null && t.RevokedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.UsedAt, now), ct);
        if (claimed == 0)
        {
            await RevokeFamilyAsync(stored.FamilyId, ct);
            return new RefreshResult(RefreshOutcome.Reused);
        }
        var next = await AddAsync(stored.UserId, membership.OrganizationId, new Family(stored.FamilyId, stored.FamilyStartedAt, stored.SecurityStamp), ct);
        return new RefreshResult(RefreshOutcome.Rotated, stored.UserId, membership, next, stored.SecurityStamp);
    }

    /// <summary>Logout: ends the session the token belongs to. Unknown tokens are ignored.</summary>
    public async Task RevokeSessionAsync(string? token, CancellationToken ct = default)
    {
        if (await FindAsync(token, ct) is { } stored)
            await RevokeFamilyAsync(stored.FamilyId, ct);
    }

    /// <summary>Every API session of the user ends. The user store calls this whenever the security stamp changes.</summary>
    public Task<int> RevokeAllForUserAsync(string userId, CancellationToken ct = default) =>
        RevokeAllForUserAsync(db, userId, time.GetUtcNow(), ct);

    /// <summary>
    /// The one statement that ends all of a user's sessions; static so the user store, which this service depends on
    /// through <see cref="UserManager{TUser}"/>, can run it on its own context and transaction.
    /// </summary>
    internal static Task<int> RevokeAllForUserAsync(BacksideDbContext db, string userId, DateTimeOffset now, CancellationToken ct) =>
        db.RefreshTokens.Where(t => t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.RevokedAt, now), ct);

    /// <summary>
    /// What could have changed since login: the account, its lockout, its membership of the session's organization.
    /// Returns the membership the session goes on with, or none and why not.
    /// </summary>
    private async Task<(Membership? Membership, RefreshOutcome Refusal)> RecheckAsync(RefreshToken stored, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(stored.UserId);
        if (user is null)
            return (null, RefreshOutcome.AccountNotFound);
        if (await users.IsLockedOutAsync(user))
            return (null, RefreshOutcome.LockedOut);
        if (stored.SecurityStamp is null || stored.SecurityStamp != user.SecurityStamp)
            return (null, RefreshOutcome.SessionEnded);
        var membership = stored.OrganizationId is null
            ? await organizations.FindMembershipAsync(user.Id, ct)
            : await organizations.FindMembershipAsync(user.Id, stored.OrganizationId, ct);
        return (membership, RefreshOutcome.NotAMember);
    }

    /// <summary>What every token of one session shares.</summary>
    private sealed record Family(string Id, DateTimeOffset StartedAt, string? SecurityStamp);

    private async Task<string> AddAsync(string userId, string organizationId, Family family, CancellationToken ct)
    {
        var token = Prefix + RandomNumberGenerator.GetString(ApiKeyFormat.Alphabet, 43);
        var now = time.GetUtcNow();
        var familyEnds = family.StartedAt + options.Value.FamilyLifetime;
        var expires = now + options.Value.TokenLifetime;
        db.RefreshTokens.Add(new RefreshToken
        {
            Id = EntityId.New(EntityId.RefreshTokenPrefix, time),
            UserId = userId,
            OrganizationId = organizationId,
            FamilyId = family.Id,
            FamilyStartedAt = family.StartedAt,
            SecurityStamp = family.SecurityStamp,
            TokenHash = Hash(token),
            CreatedAt = now,
            ExpiresAt = expires < familyEnds ? expires : familyEnds,
        });
        await db.SaveChangesAsync(ct);
        return token;
    }

    private Task<int> RevokeFamilyAsync(string familyId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return db.RefreshTokens.Where(t => t.FamilyId == familyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.RevokedAt, now), ct);
    }

    private async Task<RefreshToken?> FindAsync(string? token, CancellationToken ct)
    {
        if (token is null || token.Length != Prefix.Length + 43 || !token.StartsWith(Prefix, StringComparison.Ordinal))
            return null;
        var hash = Hash(token);
        return await db.RefreshTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash, ct);
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.ASCII.GetBytes(token));
}

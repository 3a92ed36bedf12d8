using System.Security.Cryptography;
using System.Text;
using Backside.Core.ApiKeys;
using Backside.Core.Common;
using Backside.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Backside.Core.Identity;

public enum RefreshOutcome
{
    Rotated,
    Invalid,
    Expired,
    Reused,
}

public sealed record RefreshResult(RefreshOutcome Outcome, string? UserId = null, string? Token = null);

/// <summary>Issues, rotates and revokes refresh tokens (opaque, random, stored hashed).</summary>
public sealed class RefreshTokenService(BacksideDbContext db, TimeProvider time)
{
    public const string Prefix = "bsr_";
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    /// <summary>A new token; a new family unless <paramref name="familyId"/> continues one.</summary>
    public async Task<string> IssueAsync(string userId, string? familyId = null, CancellationToken ct = default)
    {
        var token = Prefix + RandomNumberGenerator.GetString(ApiKeyFormat.Alphabet, 43);
        var now = time.GetUtcNow();
        db.RefreshTokens.Add(new RefreshToken
        {
            Id = EntityId.New(EntityId.RefreshTokenPrefix, time),
            UserId = userId,
            FamilyId = familyId ?? EntityId.New(EntityId.RefreshTokenPrefix, time),
            TokenHash = Hash(token),
            CreatedAt = now,
            ExpiresAt = now + Lifetime,
        });
        await db.SaveChangesAsync(ct);
        return token;
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
        if (stored.ExpiresAt <= now)
            return new RefreshResult(RefreshOutcome.Expired);

        // Only one of two racing uses may mark the token used; the loser is treated as a reuse.
        var claimed = await db.RefreshTokens
            .Where(t => t.Id == stored.Id && t.UsedAt == null && t.RevokedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.UsedAt, now), ct);
        if (claimed == 0)
        {
            await RevokeFamilyAsync(stored.FamilyId, ct);
            return new RefreshResult(RefreshOutcome.Reused);
        }
        return new RefreshResult(RefreshOutcome.Rotated, stored.UserId, await IssueAsync(stored.UserId, stored.FamilyId, ct));
    }

    /// <summary>Logout: ends the session the token belongs to. Unknown tokens are ignored.</summary>
    public async Task RevokeSessionAsync(string? token, CancellationToken ct = default)
    {
        if (await FindAsync(token, ct) is { } stored)
            await RevokeFamilyAsync(stored.FamilyId, ct);
    }

    /// <summary>After a password change or a 2FA reset: every API session of the user ends.</summary>
    public Task<int> RevokeAllForUserAsync(string userId, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        return db.RefreshTokens.Where(t => t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.RevokedAt, now), ct);
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

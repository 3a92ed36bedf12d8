using System.Security.Cryptography;
using Backside.Core.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Backside.Core.Identity;

/// <summary>
/// Identity's EF store with the account rules that must hold on every path, the dashboard's and the API's alike:
/// <list type="bullet">
/// <item>Whenever the security stamp changes (password set, changed or reset; two-factor on or off; authenticator
/// reset; email changed), every refresh-token family of the user is revoked in the same transaction. Identity does
/// not change the stamp for new recovery codes or a lockout, so this store does: those end every session too, the
/// dashboard's cookies included.</item>
/// <item>The authenticator secret and recovery codes are kept encrypted with Data Protection. A value stored in plain
/// text by an older version is still read, and encrypted in place the first time it is.</item>
/// </list>
/// </summary>
public sealed partial class BacksideUserStore(
    BacksideDbContext context, IDataProtectionProvider dataProtection, TimeProvider time, ILogger<BacksideUserStore> logger,
    IdentityErrorDescriber? describer = null)
    : UserOnlyStore<ApplicationUser, BacksideDbContext>(context, describer)
{
    // Identity's own names for the two secrets it keeps as user tokens (private constants in its UserStoreBase).
    private const string InternalLoginProvider = "[AspNetUserStore]";
    private const string AuthenticatorKeyTokenName = "AuthenticatorKey";
    private const string RecoveryCodeTokenName = "RecoveryCodes";

    /// <summary>Marks a protected value; plain values from before never contain a colon (base32 keys, hex codes).</summary>
    private const string ProtectedPrefix = "dp1:";
    private const string ProtectorPurpose = "Backside.Identity.UserTokens";

    public override async Task<IdentityResult> UpdateAsync(ApplicationUser user, CancellationToken cancellationToken = default)
    {
        var before = await Context.Users.AsNoTracking()
            .Where(u => u.Id == user.Id)
            .Select(u => new { u.SecurityStamp, u.LockoutEnd })
            .SingleOrDefaultAsync(cancellationToken);
        if (before is null)
            return await base.UpdateAsync(user, cancellationToken);

        // A lockout (or a longer one) moves its end later. Identity sets that end from its own clock, not ours, so
        // the test is the move itself: reading our clock here could disagree with Identity's about "in the future".
        if (user.LockoutEnd is { } end && (before.LockoutEnd is not { } previous || end > previous))
            user.SecurityStamp = NewSecurityStamp();
        if (user.SecurityStamp == before.SecurityStamp)
            return await base.UpdateAsync(user, cancellationToken);

        // The revocation and the change commit together: a failed update (a concurrency conflict) ends no session.
        await using var transaction = Context.Database.CurrentTransaction is null
            ? await Context.Database.BeginTransactionAsync(cancellationToken)
            : null;
        await RefreshTokenService.RevokeAllForUserAsync(Context, user.Id, time.GetUtcNow(), cancellationToken);
        var result = await base.UpdateAsync(user, cancellationToken);
        if (result.Succeeded && transaction is not null)
            await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>New recovery codes replace the old ones and, like a new password, end every session.</summary>
    public override async Task ReplaceCodesAsync(ApplicationUser user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken)
    {
        await SetTokenAsync(user, InternalLoginProvider, RecoveryCodeTokenName, string.Join(';', recoveryCodes), cancellationToken);
        user.SecurityStamp = NewSecurityStamp();
    }

    /// <summary>Using a recovery code removes it; unlike <see cref="ReplaceCodesAsync"/>, it ends no session.</summary>
    public override async Task<bool> RedeemCodeAsync(ApplicationUser user, string code, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(code))
            return false;
        var codes = (await GetTokenAsync(user, InternalLoginProvider, RecoveryCodeTokenName, cancellationToken) ?? "").Split(';');
        if (!codes.Contains(code, StringComparer.Ordinal))
            return false;
        await SetTokenAsync(user, InternalLoginProvider, RecoveryCodeTokenName, string.Join(';', codes.Where(c => c != code)), cancellationToken);
        return true;
    }

    public override Task SetTokenAsync(ApplicationUser user, string loginProvider, string name, string? value, CancellationToken cancellationToken) =>
        base.SetTokenAsync(user, loginProvider, name,
            IsSecret(loginProvider, name) && value is not null ? Protect(user, name, value) : value, cancellationToken);

    public override async Task<string?> GetTokenAsync(ApplicationUser user, string loginProvider, string name, CancellationToken cancellationToken)
    {
        if (!IsSecret(loginProvider, name))
            return await base.GetTokenAsync(user, loginProvider, name, cancellationToken);
        var token = await FindTokenAsync(user, loginProvider, name, cancellationToken);
        if (token?.Value is not { } stored)
            return null;
        if (stored.StartsWith(ProtectedPrefix, StringComparison.Ordinal))
            return Unprotect(user, name, stored);

        await EncryptInPlaceAsync(token, Protect(user, name, stored), cancellationToken);
        return stored;
    }

    /// <summary>
    /// A plain value from before encryption: written encrypted at once, on its own, so that reading a secret never
    /// saves other pending changes; the tracked row takes the new value as its original, so it is not written twice.
    /// </summary>
    private async Task EncryptInPlaceAsync(IdentityUserToken<string> token, string protectedValue, CancellationToken ct)
    {
        var plain = token.Value;
        await Context.UserTokens
            .Where(t => t.UserId == token.UserId && t.LoginProvider == token.LoginProvider && t.Name == token.Name && t.Value == plain)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.Value, protectedValue), ct);
        var value = Context.Entry(token).Property(t => t.Value);
        value.CurrentValue = protectedValue;
        value.OriginalValue = protectedValue;
        Log.PlainSecretEncrypted(logger, token.Name);
    }

    private static bool IsSecret(string loginProvider, string name) =>
        loginProvider == InternalLoginProvider && name is AuthenticatorKeyTokenName or RecoveryCodeTokenName;

    /// <summary>Bound to the user and the secret's kind, so a ciphertext copied to another row does not decrypt.</summary>
    private IDataProtector Protector(ApplicationUser user, string name) =>
        dataProtection.CreateProtector(ProtectorPurpose, name, user.Id);

    private string Protect(ApplicationUser user, string name, string value) =>
        ProtectedPrefix + Protector(user, name).Protect(value);

    private string? Unprotect(ApplicationUser user, string name, string stored)
    {
        try
        {
            return Protector(user, name).Unprotect(stored[ProtectedPrefix.Length..]);
        }
        catch (CryptographicException)
        {
            // The key ring that encrypted it is gone: the secret is unusable, as if it had never been set.
            Log.SecretUnreadable(logger, name);
            return null;
        }
    }

    /// <summary>The same shape as Identity's own stamps: 160 random bits.</summary>
    private static string NewSecurityStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(20));

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "A two-factor secret ({TokenName}) stored in plain text was encrypted.")]
        public static partial void PlainSecretEncrypted(ILogger logger, string tokenName);

        [LoggerMessage(Level = LogLevel.Warning, Message = "A two-factor secret ({TokenName}) could not be decrypted with the Data Protection key ring; it is treated as unset.")]
        public static partial void SecretUnreadable(ILogger logger, string tokenName);
    }
}

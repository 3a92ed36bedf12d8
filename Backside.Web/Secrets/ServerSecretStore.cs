using System.Security.Cryptography;
using Backside.Core.Data;
using Backside.Core.Identity;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Backside.Web.Secrets;

/// <summary>
/// Random secrets the server makes for itself (the access-token signing key, the audit key) when configuration gives
/// none, kept in the database encrypted with the Data Protection key ring. A secret is inserted only if absent:
/// instances racing at first start all end up with the one stored first. One that can no longer be decrypted (the
/// key ring is gone) is replaced only where that is harmless (<see cref="WhenUnreadable.Replace"/>: the JWT key,
/// which costs at most the access tokens of the last 15 minutes); otherwise it stops the start, since a new audit key
/// would silently make every chain fail to verify.
/// </summary>
public sealed partial class ServerSecretStore(
    IServiceScopeFactory scopes, IDataProtectionProvider dataProtection, TimeProvider time, ILogger<ServerSecretStore> logger)
{
    public enum WhenUnreadable
    {
        StopTheStart,
        Replace,
    }

    /// <summary>The secret stored under <paramref name="name"/>, or a new one of <paramref name="length"/> random bytes stored first.</summary>
    /// <param name="purpose">The Data Protection purpose it is encrypted under; keep it stable, or stored secrets stop decrypting.</param>
    public async Task<byte[]> GetOrCreateAsync(
        string name, string purpose, int length, WhenUnreadable whenUnreadable = WhenUnreadable.StopTheStart, CancellationToken ct = default)
    {
        var protector = dataProtection.CreateProtector(purpose);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BacksideDbContext>();
        try
        {
            if (await ReadAsync(db, protector, name, ct) is { } existing)
                return existing;
        }
        catch (InvalidOperationException) when (whenUnreadable == WhenUnreadable.Replace)
        {
            return await ReplaceUnreadableAsync(db, protector, name, length, ct);
        }

        // Insert-if-absent, then read what is stored: of instances racing at first start, every one reads the value
        // inserted first, and none ever replaces (or deletes) another's.
        var generated = RandomNumberGenerator.GetBytes(length);
        await db.InsertIfAbsentAsync(
            new ServerSecret { Name = name, ProtectedValue = protector.Protect(Convert.ToBase64String(generated)), CreatedAt = time.GetUtcNow() }, ct);
        return await ReadAsync(db, protector, name, ct) ?? throw new InvalidOperationException($"The server secret '{name}' could not be stored.");
    }

    /// <summary>Swaps the unreadable value for a new one, unless another instance did first (then theirs is used).</summary>
    private async Task<byte[]> ReplaceUnreadableAsync(BacksideDbContext db, IDataProtector protector, string name, int length, CancellationToken ct)
    {
        var unreadable = await db.ServerSecrets.AsNoTracking().Where(s => s.Name == name).Select(s => s.ProtectedValue).SingleAsync(ct);
        var generated = RandomNumberGenerator.GetBytes(length);
        var replaced = await db.ServerSecrets
            .Where(s => s.Name == name && s.ProtectedValue == unreadable)
            .ExecuteUpdateAsync(set => set
                .SetProperty(s => s.ProtectedValue, protector.Protect(Convert.ToBase64String(generated)))
                .SetProperty(s => s.CreatedAt, time.GetUtcNow()), ct);
        if (replaced == 0)
            return await ReadAsync(db, protector, name, ct) ?? throw new InvalidOperationException($"The server secret '{name}' could not be stored.");
        Log.UnreadableSecretReplaced(logger, name);
        return generated;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "The server secret '{Name}' could not be decrypted with the Data Protection key ring and was replaced by a new one.")]
        public static partial void UnreadableSecretReplaced(ILogger logger, string name);
    }

    private static async Task<byte[]?> ReadAsync(BacksideDbContext db, IDataProtector protector, string name, CancellationToken ct)
    {
        var stored = await db.ServerSecrets.AsNoTracking().SingleOrDefaultAsync(s => s.Name == name, ct);
        if (stored is null)
            return null;
        try
        {
            return Convert.FromBase64String(protector.Unprotect(stored.ProtectedValue));
        }
        catch (CryptographicException ex)
        {
            throw new InvalidOperationException(
                $"The server secret '{name}' in the database cannot be decrypted: the Data Protection key ring that encrypted it is gone. " +
                "Restore that key ring, or configure the secret itself (see the README's Configuration table).", ex);
        }
    }
}

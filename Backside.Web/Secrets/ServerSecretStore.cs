using System.Security.Cryptography;
using Backside.Core.Data;
using Backside.Core.Identity;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Backside.Web.Secrets;

/// <summary>
/// Random secrets the server makes for itself (the access-token signing key, the audit key) when configuration gives
/// none, kept in the database encrypted with the Data Protection key ring. A secret is inserted only if absent and
/// never replaced: instances racing at first start all end up with the one stored first, and one that can no longer
/// be decrypted stops the start rather than being swapped for a new one (which would silently invalidate what it protects).
/// </summary>
public sealed class ServerSecretStore(IServiceScopeFactory scopes, IDataProtectionProvider dataProtection, TimeProvider time)
{
    /// <summary>The secret stored under <paramref name="name"/>, or a new one of <paramref name="length"/> random bytes stored first.</summary>
    /// <param name="purpose">The Data Protection purpose it is encrypted under; keep it stable, or stored secrets stop decrypting.</param>
    public async Task<byte[]> GetOrCreateAsync(string name, string purpose, int length, CancellationToken ct = default)
    {
        var protector = dataProtection.CreateProtector(purpose);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BacksideDbContext>();
        if (await ReadAsync(db, protector, name, ct) is { } existing)
            return existing;

        var generated = RandomNumberGenerator.GetBytes(length);
        db.ServerSecrets.Add(new ServerSecret { Name = name, ProtectedValue = protector.Protect(Convert.ToBase64String(generated)), CreatedAt = time.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync(ct);
            return generated;
        }
        catch (DbUpdateException)
        {
            // Another instance stored it between our read and our insert: use theirs. Anything else: nothing is stored.
            db.ChangeTracker.Clear();
            return await ReadAsync(db, protector, name, ct) ?? throw new InvalidOperationException($"The server secret '{name}' could not be stored.");
        }
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

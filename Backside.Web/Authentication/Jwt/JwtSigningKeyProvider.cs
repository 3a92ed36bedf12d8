using System.Security.Cryptography;
using Backside.Core.Data;
using Backside.Core.Identity;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Backside.Web.Authentication.Jwt;

/// <summary>
/// The key that signs access tokens: from configuration, or else generated once and kept in the database encrypted
/// with the Data Protection key ring, so restarts (and instances sharing the database and key ring) agree on it.
/// </summary>
public sealed class JwtSigningKeyProvider(IOptions<JwtOptions> options, IServiceScopeFactory scopes, IDataProtectionProvider dataProtection, TimeProvider time)
{
    private const string SecretName = "jwt-signing-key";
    private SymmetricSecurityKey? key;

    public SymmetricSecurityKey Key => key ?? throw new InvalidOperationException("The JWT signing key is not loaded; call InitializeAsync at start.");

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        if (!string.IsNullOrEmpty(options.Value.SigningKey))
        {
            key = new SymmetricSecurityKey(Convert.FromBase64String(options.Value.SigningKey));
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BacksideDbContext>();
        var protector = dataProtection.CreateProtector("Backside.Jwt.SigningKey");
        var stored = await db.ServerSecrets.AsNoTracking().SingleOrDefaultAsync(s => s.Name == SecretName, ct);
        if (stored is not null && TryUnprotect(protector, stored.ProtectedValue) is { } existing)
        {
            key = new SymmetricSecurityKey(existing);
            return;
        }

        // First run, or the key ring that encrypted the old key is gone: make a new key (old tokens stop verifying).
        var bytes = RandomNumberGenerator.GetBytes(32);
        if (stored is not null)
            await db.ServerSecrets.Where(s => s.Name == SecretName).ExecuteDeleteAsync(ct);
        db.ServerSecrets.Add(new ServerSecret { Name = SecretName, ProtectedValue = protector.Protect(Convert.ToBase64String(bytes)), CreatedAt = time.GetUtcNow() });
        await db.SaveChangesAsync(ct);
        key = new SymmetricSecurityKey(bytes);
    }

    private static byte[]? TryUnprotect(IDataProtector protector, string value)
    {
        try
        {
            return Convert.FromBase64String(protector.Unprotect(value));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}

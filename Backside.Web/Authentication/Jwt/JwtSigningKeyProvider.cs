using Backside.Web.Secrets;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Backside.Web.Authentication.Jwt;

/// <summary>
/// The key that signs access tokens: from configuration, or else generated once and kept in the database encrypted
/// with the Data Protection key ring (<see cref="ServerSecretStore"/>), so restarts (and instances sharing the
/// database and key ring) agree on it.
/// </summary>
public sealed class JwtSigningKeyProvider(IOptions<JwtOptions> options, ServerSecretStore secrets)
{
    private const string SecretName = "jwt-signing-key";
    private SymmetricSecurityKey? key;

    public SymmetricSecurityKey Key => key ?? throw new InvalidOperationException("The JWT signing key is not loaded; call InitializeAsync at start.");

    public async Task InitializeAsync(CancellationToken ct = default) =>
        key = new SymmetricSecurityKey(string.IsNullOrEmpty(options.Value.SigningKey)
            // A lost key ring costs only the access tokens of the last minutes: make a new key rather than refuse to start.
            ? await secrets.GetOrCreateAsync(SecretName, "Backside.Jwt.SigningKey", 32, ServerSecretStore.WhenUnreadable.Replace, ct)
            : Convert.FromBase64String(options.Value.SigningKey));
}

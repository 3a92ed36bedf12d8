using Backside.Core.Audit;
using Backside.Web.Secrets;
using Microsoft.Extensions.Options;

namespace Backside.Web.Audit;

/// <summary>
/// The key audit hashes are keyed with: <c>Audit:HmacKey</c>, or else generated once and kept in the database
/// encrypted (<see cref="ServerSecretStore"/>), so restarts and instances sharing the database agree on it.
/// </summary>
public sealed class AuditHmacKeyProvider(IOptions<AuditOptions> options, ServerSecretStore secrets) : IAuditHmacKey
{
    private const string SecretName = "audit-hmac-key";
    private byte[]? key;

    public ReadOnlySpan<byte> Key => key ?? throw new InvalidOperationException("The audit key is not loaded; call InitializeAsync at start.");

    public async Task InitializeAsync(CancellationToken ct = default) =>
        key = string.IsNullOrEmpty(options.Value.HmacKey)
            ? await secrets.GetOrCreateAsync(SecretName, "Backside.Audit.HmacKey", 32, ServerSecretStore.WhenUnreadable.StopTheStart, ct)
            : Convert.FromBase64String(options.Value.HmacKey);
}

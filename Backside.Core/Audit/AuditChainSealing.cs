using Microsoft.Extensions.DependencyInjection;

namespace Backside.Core.Audit;

public static class AuditChainSealing
{
    /// <summary>
    /// Anchors every chain that has no head yet (chains older than heads), once the audit key is known; run at start,
    /// after the migrations, so that from then on a missing head always means a deleted one.
    /// </summary>
    public static async Task SealAuditChainsAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AuditTrail>().SealUnheadedChainsAsync(ct);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Core.Data;

public static class DatabaseMigrator
{
    /// <summary>Brings the database up to the latest migration; run at start so a fresh checkout needs no set-up.</summary>
    public static async Task MigrateBacksideDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BacksideDbContext>().Database.MigrateAsync(ct);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Core.Data;

public static class DatabaseMigrator
{
    /// <summary>Brings the database up to the latest migration; run at start so a fresh checkout needs no set-up.</summary>
    public static async Task MigrateBacksideDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BacksideDbContext>();
        await db.Database.MigrateAsync(ct);
        // Write-ahead logging: readers (the key lookups) never wait for a writer, nor a writer for them. The mode is
        // kept in the file, so setting it once per start is enough.
        if (db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
    }
}

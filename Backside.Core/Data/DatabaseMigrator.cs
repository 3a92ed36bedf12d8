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
        if (db.Database.IsNpgsql())
            await MigrateUnderSessionLockAsync(db, ct);
        else
            await db.Database.MigrateAsync(ct);
        // Write-ahead logging: readers (the key lookups) never wait for a writer, nor a writer for them. The mode is
        // kept in the file, so setting it once per start is enough.
        if (db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
    }

    /// <summary>
    /// EF's own PostgreSQL migration lock lasts one migration's transaction, but each instance lists the pending
    /// migrations once, before it waits: with two pending, a second instance applies the one the first is about to
    /// apply, and one of them fails ("column already exists"). A session-level advisory lock held around the whole
    /// run makes each instance read the history only after the one before it has finished.
    /// </summary>
    private static async Task MigrateUnderSessionLockAsync(BacksideDbContext db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(" + MigrationLockKey + ")", ct);
            try
            {
                await db.Database.MigrateAsync(ct);
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(" + MigrationLockKey + ")", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Any fixed 64-bit number; only Backside's migrations take this advisory lock.</summary>
    private const string MigrationLockKey = "7363520417";
}

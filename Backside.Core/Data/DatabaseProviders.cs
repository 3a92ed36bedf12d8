using Microsoft.EntityFrameworkCore;

namespace Backside.Core.Data;

public static class DatabaseProviders
{
    /// <summary>
    /// The engine <paramref name="database"/> names, with its own migrations: each provider's migrations are generated
    /// from the same model by that provider, so PostgreSQL's live in an assembly of their own (EF Core's pattern for
    /// migrations with multiple providers).
    /// </summary>
    public static DbContextOptionsBuilder UseBacksideDatabase(this DbContextOptionsBuilder options, DatabaseOptions database) =>
        database.IsPostgres
            ? options.UseNpgsql(database.ConnectionString, npgsql => npgsql.MigrationsAssembly(DatabaseOptions.PostgresMigrationsAssembly))
            : options.UseSqlite(database.ConnectionString);
}

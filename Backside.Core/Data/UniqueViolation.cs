using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Backside.Core.Data;

/// <summary>
/// Recognises a save refused by a unique index or primary key, on either engine, and says on which table: SQLite
/// reports SQLITE_CONSTRAINT_UNIQUE or _PRIMARYKEY naming the columns, PostgreSQL SqlState 23505 naming the table.
/// </summary>
public static class UniqueViolation
{
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    /// <summary>Whether <paramref name="ex"/> is a unique violation on the table of <typeparamref name="TEntity"/>.</summary>
    public static bool On<TEntity>(BacksideDbContext db, DbUpdateException ex)
        where TEntity : class =>
        db.Model.FindEntityType(typeof(TEntity))?.GetTableName() is { } table && IsOn(ex, table);

    private static bool IsOn(DbUpdateException ex, string table) => ex.InnerException switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation && pg.TableName == table,
        // SQLite names the columns as "table.column": "UNIQUE constraint failed: AuditEvents.OrganizationId, ...".
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey
            && sqlite.Message.Contains($" {table}.", StringComparison.Ordinal),
        _ => false,
    };
}

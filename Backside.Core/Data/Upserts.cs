using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Backside.Core.Data;

/// <summary>
/// Single-statement <c>INSERT … ON CONFLICT</c> on the row's primary key, which SQLite (3.24+) and PostgreSQL both
/// speak: several instances writing the same row each do their part atomically instead of racing a read (or an
/// update) against an insert. Table, columns and parameter types come from the EF model, so value converters (SQLite's
/// times) apply as they do for EF's own commands.
/// </summary>
public static class Upserts
{
    /// <summary>Inserts <paramref name="row"/> unless a row with its key exists; returns 1 if it was inserted.</summary>
    public static Task<int> InsertIfAbsentAsync<TEntity>(this BacksideDbContext db, TEntity row, CancellationToken ct)
        where TEntity : class =>
        ExecuteAsync(db, row, _ => "DO NOTHING", ct);

    /// <summary>Inserts <paramref name="row"/>, or adds its <paramref name="counters"/> to those of the stored row.</summary>
    public static Task<int> InsertOrAddAsync<TEntity>(this BacksideDbContext db, TEntity row, IReadOnlyList<string> counters, CancellationToken ct)
        where TEntity : class =>
        ExecuteAsync(db, row, t => "DO UPDATE SET " + string.Join(", ", counters.Select(c => $"{t.Column(c)} = {t.Name}.{t.Column(c)} + excluded.{t.Column(c)}")), ct);

    /// <summary>Inserts <paramref name="row"/>, or moves the stored row's <paramref name="time"/> forward to it (never back).</summary>
    public static Task<int> InsertOrKeepLatestAsync<TEntity>(this BacksideDbContext db, TEntity row, string time, CancellationToken ct)
        where TEntity : class =>
        ExecuteAsync(db, row, t => $"DO UPDATE SET {t.Column(time)} = excluded.{t.Column(time)} WHERE {t.Name}.{t.Column(time)} < excluded.{t.Column(time)}", ct);

    private static Task<int> ExecuteAsync<TEntity>(BacksideDbContext db, TEntity row, Func<Table, string> onConflict, CancellationToken ct)
        where TEntity : class
    {
        var entity = db.Model.FindEntityType(typeof(TEntity)) ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not in the model.");
        var table = new Table(entity, db.GetService<ISqlGenerationHelper>());
        var properties = entity.GetProperties().ToList();
        var key = entity.FindPrimaryKey() ?? throw new InvalidOperationException($"{typeof(TEntity).Name} has no primary key.");

        using var factory = db.Database.GetDbConnection().CreateCommand();
        var parameters = new List<DbParameter>(properties.Count);
        foreach (var property in properties)
        {
            var value = property.GetGetter().GetClrValueUsingContainingEntity(row);
            parameters.Add(property.GetRelationalTypeMapping().CreateParameter(factory, $"p{parameters.Count}", value, property.IsNullable));
        }

        var sql = $"INSERT INTO {table.Name} ({string.Join(", ", properties.Select(p => table.Column(p.Name)))}) " +
                  $"VALUES ({string.Join(", ", parameters.Select(p => table.Placeholder(p.ParameterName)))}) " +
                  $"ON CONFLICT ({string.Join(", ", key.Properties.Select(p => table.Column(p.Name)))}) {onConflict(table)}";
        return db.Database.ExecuteSqlRawAsync(sql, parameters, ct);
    }

    private sealed class Table(IEntityType entity, ISqlGenerationHelper sql)
    {
        private readonly StoreObjectIdentifier store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());

        public string Name => sql.DelimitIdentifier(store.Name, store.Schema);

        public string Column(string property) =>
            sql.DelimitIdentifier(entity.FindProperty(property)?.GetColumnName(store)
                ?? throw new InvalidOperationException($"{entity.DisplayName()}.{property} is not a mapped column."));

        public string Placeholder(string parameter) => sql.GenerateParameterNamePlaceholder(parameter);
    }
}
